using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Keel.Server.Http;

/// <summary>
/// Rejects any request whose raw path has a '.' or '..' segment, plain or percent-encoded (once or
/// twice). Kestrel normalises dot segments before routing, so without this check
/// <c>artifacts/1/x/artifacts/%2e%2e/%2e%2e/f</c> would silently land on another path; MLflow
/// answers such paths with 400 and so does Keel.
/// </summary>
internal static class PathSafety
{
    public static IApplicationBuilder UseDotSegmentRejection(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
            var query = raw.IndexOf('?', StringComparison.Ordinal);
            var path = query >= 0 ? raw[..query] : raw;
            if ((path.Contains('.', StringComparison.Ordinal) || path.Contains('%', StringComparison.Ordinal)) && ArtifactPath.HasDotSegment(path))
            {
                throw KeelException.InvalidParameter($"Invalid path '{Uri.UnescapeDataString(path)}': '.' and '..' segments are not allowed.");
            }

            return next(context);
        });
}
