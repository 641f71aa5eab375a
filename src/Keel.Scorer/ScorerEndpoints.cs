using System.Buffers;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Scoring;
using Keel.Serving.Protocols;

namespace Keel.Scorer;

/// <summary>
/// The routes of a standalone scorer, as a Keel endpoint answers them: V2 under the model's name
/// (with or without its version in the path), MLflow's <c>/invocations</c>, health and version.
/// Errors are Keel's JSON (<c>error_code</c>, <c>message</c>) with the matching status.
/// </summary>
internal static class ScorerEndpoints
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly string KeelVersion = typeof(ScorerEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void Map(WebApplication app)
    {
        app.MapGet("/health", static () => Results.Text("OK"));
        // MLflow's scoring server answers /ping; load balancers written for it probe there.
        app.MapGet("/ping", static () => Results.Text("OK"));
        app.MapGet("/version", static () => Results.Text(KeelVersion));
        app.MapGet("/v2", static () => Results.Json(new Dictionary<string, object> { ["name"] = "keel-scorer", ["version"] = KeelVersion, ["extensions"] = Array.Empty<string>() }));
        app.MapGet("/v2/health/live", static () => Results.Json(new Dictionary<string, bool> { ["live"] = true }));
        app.MapGet("/v2/health/ready", static () => Results.Json(new Dictionary<string, bool> { ["ready"] = true }));
        foreach (var prefix in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            app.MapGet(prefix, MetadataAsync);
            app.MapGet(prefix + "/ready", ReadyAsync);
            app.MapPost(prefix + "/infer", static (HttpContext c, string name, string? version) => ScoreAsync(c, name, version, v2: true));
        }

        app.MapPost("/invocations", static (HttpContext c) => ScoreAsync(c, null, null, v2: false));
    }

    private static async Task ScoreAsync(HttpContext context, string? name, string? version, bool v2)
    {
        var model = context.RequestServices.GetRequiredService<ScoredModel>();
        try
        {
            if (v2)
            {
                Check(model, name!, version);
            }

            var body = await ReadJsonBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            var (batch, id) = v2 ? V2Request.Parse(new ReadOnlySequence<byte>(body)) : (ScoringJson.ParseRequest(body), null);
            var result = model.Model.Predict(batch);
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-keel-model-version"] = model.Version;
            using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            if (v2)
            {
                V2Response.WriteInfer(writer, model.Name, model.Version, id, result);
            }
            else
            {
                ScoringJson.WriteResponse(writer, result);
            }

            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (KeelException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private static async Task MetadataAsync(HttpContext context, string name, string? version)
    {
        var model = context.RequestServices.GetRequiredService<ScoredModel>();
        try
        {
            Check(model, name, version);
            context.Response.ContentType = "application/json";
            using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            V2Response.WriteMetadata(writer, model.Name, [model.Version], model.Model);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (KeelException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private static async Task ReadyAsync(HttpContext context, string name, string? version)
    {
        try
        {
            Check(context.RequestServices.GetRequiredService<ScoredModel>(), name, version);
            await Results.Json(new Dictionary<string, bool> { ["ready"] = true }).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (KeelException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private static void Check(ScoredModel model, string name, string? version)
    {
        if (!string.Equals(name, model.Name, StringComparison.Ordinal))
        {
            throw KeelException.NotFound($"Model '{name}' is not served here; this scorer serves '{model.Name}'.");
        }

        if (version is not null && !string.Equals(version, model.Version, StringComparison.Ordinal))
        {
            throw KeelException.NotFound($"Version '{version}' of model '{name}' is not served here; this scorer serves version '{model.Version}'.");
        }
    }

    private static async Task<byte[]> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("Content-Type must be application/json.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw new KeelException(ErrorCode.PayloadTooLarge, $"Request body of {request.ContentLength} bytes is over the limit of {MaxBodyBytes}.");
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new KeelException(ErrorCode.PayloadTooLarge, $"Request body is over the limit of {MaxBodyBytes} bytes.");
        }

        return buffer.ToArray();
    }

    private static async Task WriteErrorAsync(HttpContext context, KeelException e)
    {
        context.Response.StatusCode = e.HttpStatus;
        context.Response.ContentType = "application/json";
        var body = new ErrorDto { ErrorCode = ErrorCodes.ToWire(e.Code), Message = e.Message };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, WireJson.Default.ErrorDto, context.RequestAborted).ConfigureAwait(false);
    }
}
