using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;

namespace Keel.Server.Endpoints;

/// <summary>
/// The mlflow-artifacts proxy (clients of runs whose artifact URI is <c>mlflow-artifacts:/...</c>
/// send all artifact I/O here) and the tracking service's <c>artifacts/list</c>.
/// </summary>
internal static class ArtifactEndpoints
{
    private const string ProxyScheme = "mlflow-artifacts:";
    private const string MultipartUnsupported =
        "Multipart upload is not supported for the current artifact repository";

    private static readonly FileExtensionContentTypeProvider MimeTypes = CreateMimeTypes();

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Artifacts)
        {
            var group = app.MapGroup(prefix);
            group.MapGet("/artifacts", ListAsync);
            group.MapGet("/artifacts/{**path}", DownloadAsync);
            group.MapPut("/artifacts/{**path}", UploadAsync);
            group.MapDelete("/artifacts/{**path}", DeleteAsync);

            // Local files have no multipart protocol; this message makes MLflow clients fall back to one PUT.
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

    /// <summary>The catch-all route value is decoded except for '%2F', which stays encoded.</summary>
    private static string PathOf(HttpContext context) =>
        ((string?)context.Request.RouteValues["path"] ?? string.Empty).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task DownloadAsync(HttpContext context)
    {
        var path = PathOf(context);
        var stream = await Store(context).OpenReadAsync(path, context.RequestAborted);
        await using (stream)
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var response = context.Response;
            response.ContentType = MimeTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
            response.Headers.ContentDisposition = $"attachment; filename=\"{name.Replace("\"", string.Empty, StringComparison.Ordinal)}\"";
            response.Headers.XContentTypeOptions = "nosniff";
            if (stream.CanSeek)
            {
                response.ContentLength = stream.Length;
            }

            await stream.CopyToAsync(response.Body, 81920, context.RequestAborted);
        }
    }

    private static async Task UploadAsync(HttpContext context)
    {
        // Artifacts may be gigabytes: lift the general body cap for this route only; the body streams to disk.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await Store(context).WriteAsync(PathOf(context), context.Request.Body, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        await Store(context).DeleteAsync(PathOf(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task ListAsync(HttpContext context)
    {
        var path = QueryArgs.String(context, "path");
        var entries = await ListDirectoryAsync(Store(context), path, context.RequestAborted);
        await WriteFilesAsync(context, entries, prefix: null, rootUri: null);
    }

    private static Task MultipartAsync(HttpContext context) =>
        throw new KeelException(ErrorCode.NotImplemented, MultipartUnsupported);

    private static async Task ListRunArtifactsAsync(HttpContext context)
    {
        var runId = QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid");
        var path = QueryArgs.String(context, "path");
        var run = await context.RequestServices.GetRequiredService<TrackingService>().GetRunAsync(runId, context.RequestAborted);
        var rootUri = run.Info.ArtifactUri;
        IReadOnlyList<ArtifactEntry> entries = [];
        if (rootUri.StartsWith(ProxyScheme, StringComparison.Ordinal))
        {
            var root = rootUri[ProxyScheme.Length..].TrimStart('/');
            var full = string.IsNullOrEmpty(path) ? root : $"{root}/{path.Trim('/')}";
            entries = await ListDirectoryAsync(Store(context), full, context.RequestAborted);
        }

        var prefix = string.IsNullOrEmpty(path) ? null : path.Trim('/') + "/";
        await WriteFilesAsync(context, entries, prefix, rootUri);
    }

    /// <summary>Lists a directory; a path naming a file gives no entries, as MLflow's server answers <c>{}</c>.</summary>
    private static async Task<IReadOnlyList<ArtifactEntry>> ListDirectoryAsync(IArtifactStore store, string? path, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(path, cancellationToken);
        if (entries.Count == 1 && !entries[0].IsDir && !string.IsNullOrEmpty(path)
            && path.TrimEnd('/').EndsWith(entries[0].Path, StringComparison.Ordinal))
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

    private static FileExtensionContentTypeProvider CreateMimeTypes()
    {
        var provider = new FileExtensionContentTypeProvider();

        // Text-like artifacts MLflow users log; shown inline by the UI as text.
        foreach (var ext in new[] { ".txt", ".log", ".yaml", ".yml", ".md", ".py", ".csv", ".tsv", ".ini", ".cfg", ".toml", ".MLmodel" })
        {
            provider.Mappings[ext] = "text/plain";
        }

        provider.Mappings[".json"] = "application/json";
        return provider;
    }
}
