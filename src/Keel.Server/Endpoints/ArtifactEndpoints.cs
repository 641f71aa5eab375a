using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.Server.Artifacts;
using Keel.Server.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Keel.Server.Endpoints;

/// <summary>
/// The mlflow-artifacts proxy (clients of runs whose artifact URI is <c>mlflow-artifacts:/...</c>
/// send all artifact I/O here) and the tracking service's <c>artifacts/list</c>.
/// </summary>
internal static class ArtifactEndpoints
{
    private const string MultipartUnsupported =
        "Multipart upload is not supported for the current artifact repository";

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Artifacts)
        {
            var group = app.MapGroup(prefix);
            group.WithMetadata(ArtifactModes.ProxyRoute.Instance);
            group.MapGet("/artifacts", ListAsync);
            group.MapGet("/artifacts/{**path}", DownloadAsync);
            group.MapPut("/artifacts/{**path}", UploadAsync);
            group.MapDelete("/artifacts/{**path}", DeleteAsync);

            // Always MLflow's "not supported" (also on S3, see docs/adr/0006): its clients then fall back to one streamed PUT.
            group.MapPost("/mpu/create/{**path}", MultipartAsync);
            group.MapPost("/mpu/complete/{**path}", MultipartAsync);
            group.MapPost("/mpu/abort/{**path}", MultipartAsync);
        }

        foreach (var prefix in RoutePrefixes.Tracking)
        {
            app.MapGroup(prefix + "/artifacts").MapGet("/list", ListRunArtifactsAsync);
        }
    }

    private static IArtifactStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IArtifactStore>();

    /// <summary>The catch-all route value, decoded once (with '%2F' too), checked by the one path rule.</summary>
    private static string PathOf(HttpContext context) =>
        ArtifactPath.Normalize(((string?)context.Request.RouteValues["path"] ?? string.Empty).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));

    private static Task DownloadAsync(HttpContext context) => ArtifactDownloads.SendAsync(context, Store(context), PathOf(context));

    private static async Task UploadAsync(HttpContext context)
    {
        var path = PathOf(context);

        // Artifacts may be gigabytes: lift the general body cap for this route only; the body streams to disk.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await Store(context).WriteAsync(path, context.Request.Body, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        await Store(context).DeleteAsync(PathOf(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task ListAsync(HttpContext context)
    {
        var path = ArtifactPath.Normalize(QueryArgs.String(context, "path"));
        var entries = await ListDirectoryAsync(Store(context), path, context.RequestAborted);
        await WriteFilesAsync(context, entries, prefix: null, rootUri: null);
    }

    private static Task MultipartAsync(HttpContext context) =>
        throw new KeelException(ErrorCode.NotImplemented, MultipartUnsupported);

    private static async Task ListRunArtifactsAsync(HttpContext context)
    {
        // The path is checked before the run is looked up, as MLflow does: "/etc" is refused, never made relative.
        var path = ArtifactPath.Normalize(QueryArgs.String(context, "path"));
        var runId = QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid");
        var run = await context.RequestServices.GetRequiredService<TrackingService>().GetRunAsync(runId, context.RequestAborted);
        var rootUri = run.Info.ArtifactUri;
        var (store, root) = context.RequestServices.GetRequiredService<ArtifactLocations>().Open(rootUri);
        var entries = await ListDirectoryAsync(store, ArtifactLocations.Join(root, path), context.RequestAborted);
        var prefix = path.Length == 0 ? null : path + "/";
        await WriteFilesAsync(context, entries, prefix, rootUri);
    }

    /// <summary>Lists a directory; a path naming a file gives no entries, as MLflow's server answers <c>{}</c>.</summary>
    private static async Task<IReadOnlyList<ArtifactEntry>> ListDirectoryAsync(IArtifactStore store, string path, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(path, cancellationToken);
        if (entries.Count == 1 && !entries[0].IsDir && path.Length > 0 && path.EndsWith(entries[0].Path, StringComparison.Ordinal))
        {
            // Either the path is that file, or a directory holding one file of the same name: tell them apart.
            try
            {
                var stream = await store.OpenReadAsync(path, cancellationToken);
                await stream.DisposeAsync();
                return [];
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
            {
                return entries;
            }
        }

        return entries;
    }

    private static Task WriteFilesAsync(HttpContext context, IReadOnlyList<ArtifactEntry> entries, string? prefix, string? rootUri)
    {
        var response = new ListArtifactsResponse { RootUri = rootUri };
        if (entries.Count > 0)
        {
            response.Files = new List<FileInfoDto>(entries.Count);
            foreach (var e in entries)
            {
                response.Files.Add(new FileInfoDto { Path = prefix + e.Path, IsDir = e.IsDir, FileSize = e.IsDir ? null : e.FileSize });
            }
        }

        return WireIO.WriteAsync(context, response, WireJson.Default.ListArtifactsResponse);
    }
}
