using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Server.Artifacts;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// The artifact routes MLflow's web UI calls: <c>GET /get-artifact</c> (a run's file),
/// <c>GET /model-versions/get-artifact</c> (a registered version's file) and
/// <c>POST /ajax-api/2.0/mlflow/upload-artifact</c> (a small file from the browser into a run).
/// </summary>
internal static class ArtifactUiEndpoints
{
    /// <summary>MLflow's cap on a file uploaded through the UI.</summary>
    public const int MaxUploadBytes = 10 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/get-artifact", GetRunArtifactAsync);
        app.MapGet("/model-versions/get-artifact", GetModelVersionArtifactAsync);
        app.MapPost("/ajax-api/2.0/mlflow/upload-artifact", UploadAsync);
    }

    private static ArtifactLocations Locations(HttpContext context) => context.RequestServices.GetRequiredService<ArtifactLocations>();

    /// <summary>The file path argument: required, then the one path rule (a refusal is "Invalid path").</summary>
    private static string FilePath(HttpContext context) =>
        QueryArgs.String(context, "path") is { } path ? ArtifactPath.Normalize(path) : throw KeelException.MissingParameter("path");

    private static async Task GetRunArtifactAsync(HttpContext context)
    {
        var path = FilePath(context);
        var runId = QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid");
        var run = await context.RequestServices.GetRequiredService<TrackingService>().GetRunAsync(runId, context.RequestAborted);
        var (store, root) = Locations(context).Open(run.Info.ArtifactUri);
        await ArtifactDownloads.SendAsync(context, store, ArtifactLocations.Join(root, path));
    }

    private static async Task GetModelVersionArtifactAsync(HttpContext context)
    {
        var path = FilePath(context);
        var location = await context.RequestServices.GetRequiredService<RegistryService>().GetArtifactLocationAsync(
            QueryArgs.String(context, "name"), QueryArgs.String(context, "version"), context.RequestAborted);
        var (store, root) = Locations(context).Open(location);
        await ArtifactDownloads.SendAsync(context, store, ArtifactLocations.Join(root, path));
    }

    /// <summary>Checks in MLflow's order and with its wording, then writes the body into the run's artifacts.</summary>
    private static async Task UploadAsync(HttpContext context)
    {
        var runId = QueryArgs.String(context, "run_uuid");
        if (string.IsNullOrEmpty(runId))
        {
            throw KeelException.InvalidParameter("Request must specify run_uuid.");
        }

        var rawPath = QueryArgs.String(context, "path");
        if (string.IsNullOrEmpty(rawPath))
        {
            throw KeelException.InvalidParameter("Request must specify path.");
        }

        var path = ArtifactPath.Normalize(rawPath);
        if (path.Length == 0)
        {
            throw ArtifactPath.Invalid();
        }

        if (context.Request.ContentLength > MaxUploadBytes)
        {
            throw TooLarge();
        }

        using var body = await ReadCappedAsync(context);
        if (body.Length == 0)
        {
            throw KeelException.InvalidParameter("Request must specify data.");
        }

        var run = await context.RequestServices.GetRequiredService<TrackingService>().GetRunAsync(runId, context.RequestAborted);
        var (store, root) = Locations(context).Open(run.Info.ArtifactUri);
        await store.WriteAsync(ArtifactLocations.Join(root, path), body, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    // A chunked body has no Content-Length, so the cap is also enforced while reading.
    private static async Task<MemoryStream> ReadCappedAsync(HttpContext context)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxUploadBytes)
            {
                await buffer.DisposeAsync();
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static KeelException TooLarge() => KeelException.InvalidParameter($"Artifact size is too large. Max size is {MaxUploadBytes / (1024 * 1024)}MB.");
}
