using Keel.Core.Errors;

namespace Keel.Server.Artifacts;

/// <summary>
/// <c>--no-serve-artifacts</c> and <c>--artifacts-only</c>: the routes each mode turns off answer 404
/// ENDPOINT_NOT_FOUND naming the option (MLflow answers 503, which its clients retry for minutes; a
/// switched-off route is not going to come back by itself).
/// </summary>
internal static class ArtifactModes
{
    /// <summary>Marks the mlflow-artifacts proxy routes.</summary>
    public sealed class ProxyRoute
    {
        public static readonly ProxyRoute Instance = new();
    }

    /// <summary>Marks routes every mode serves (health, version).</summary>
    public sealed class AlwaysOn
    {
        public static readonly AlwaysOn Instance = new();
    }

    public static IApplicationBuilder UseArtifactModes(this IApplicationBuilder app, bool serveArtifacts, bool artifactsOnly)
    {
        if (serveArtifacts && !artifactsOnly)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            var metadata = context.GetEndpoint()?.Metadata;
            if (metadata is null || metadata.GetMetadata<AlwaysOn>() is not null)
            {
                return next(context);
            }

            var proxy = metadata.GetMetadata<ProxyRoute>() is not null;
            if (proxy && !serveArtifacts)
            {
                throw new KeelException(
                    ErrorCode.EndpointNotFound,
                    $"Endpoint {context.Request.Path} is off: this server runs with --no-serve-artifacts, so clients read and write the artifact store directly. Start keel server without --no-serve-artifacts to proxy artifacts.");
            }

            if (!proxy && artifactsOnly)
            {
                throw new KeelException(
                    ErrorCode.EndpointNotFound,
                    $"Endpoint {context.Request.Path} is off: this server runs with --artifacts-only and serves only /api/2.0/mlflow-artifacts/. Start keel server without --artifacts-only for tracking, the registry and serving.");
            }

            return next(context);
        });
    }
}
