using System.Buffers;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Scoring;
using Keel.Serving;
using Keel.Serving.Protocols;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// Model inference: the Open Inference Protocol (KServe V2, the model name is the endpoint's) and
/// MLflow's /invocations. Answers carry x-keel-model-version and x-request-id, errors included, so
/// these handlers write their own errors rather than leaving it to the shared middleware.
/// </summary>
internal static class InferenceEndpoints
{
    private const long MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly byte[] Live = """{"live":true}"""u8.ToArray();
    private static readonly byte[] Ready = """{"ready":true}"""u8.ToArray();

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", static c => WriteBytesAsync(c, Live));
        app.MapGet("/v2/health/ready", static c => WriteBytesAsync(c, Ready));
        app.MapGet("/v2/models/{name}", MetadataAsync);
        app.MapGet("/v2/models/{name}/ready", ModelReadyAsync);
        app.MapPost("/v2/models/{name}/infer", static (HttpContext c, string name) => InferAsync(c, name, v2: true));
        app.MapPost("/endpoints/{name}/invocations", static (HttpContext c, string name) => InferAsync(c, name, v2: false));
        app.MapGet("/metrics", MetricsAsync);
    }

    private static async Task InferAsync(HttpContext context, string name, bool v2)
    {
        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        var requestId = RequestIds.From(context);
        context.Response.Headers["x-request-id"] = requestId;
        RoutingTable? table = null;
        var entered = false;
        try
        {
            table = engine.Resolve(name);
            engine.Enter(table);
            entered = true;
            // The deadline is checked, not armed: a timer per request would cost more than the
            // scoring itself, and Kestrel's minimum body data rate already cuts off stalled uploads.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (batch, id) = await ReadAsync(context, v2, context.RequestAborted).ConfigureAwait(false);
            engine.CheckSize(table, batch.RowCount);
            var variant = InferenceEngine.Choose(table, batch, context.Request.Headers, static (h, n) => h.TryGetValue(n, out var v) ? v.ToString() : null);
            var result = engine.Predict(table, variant, batch, requestId);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds > table.Endpoint.Limits.TimeoutMs)
            {
                throw new KeelException(ErrorCode.DeadlineExceeded, $"Endpoint '{name}' did not answer within {table.Endpoint.Limits.TimeoutMs} ms.");
            }

            context.Response.Headers["x-keel-model-version"] = variant.Version;
            WriteResult(context, name, variant.Version, id, result, v2);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (KeelException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        finally
        {
            if (entered)
            {
                table!.Gate.Exit();
            }
        }
    }

    private static async Task<(ColumnBatch Batch, string? Id)> ReadAsync(HttpContext context, bool v2, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("Content-Type must be application/json.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw new KeelException(ErrorCode.PayloadTooLarge, $"Request body of {request.ContentLength} bytes is over the limit of {MaxBodyBytes}.");
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                throw new KeelException(ErrorCode.PayloadTooLarge, $"Request body is over the limit of {MaxBodyBytes} bytes.");
            }

            if (read.IsCompleted)
            {
                try
                {
                    return v2 ? V2Request.Parse(buffer) : (ScoringJson.ParseRequest(buffer.IsSingleSegment ? buffer.First : buffer.ToArray()), null);
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static void WriteResult(HttpContext context, string name, string version, string? id, PredictionResult result, bool v2)
    {
        context.Response.ContentType = "application/json";
        var writer = _writer ??= new Utf8JsonWriter(Stream.Null);
        writer.Reset(context.Response.BodyWriter);
        try
        {
            if (v2)
            {
                V2Response.WriteInfer(writer, name, version, id, result);
            }
            else
            {
                ScoringJson.WriteResponse(writer, result);
            }

            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, KeelException e)
    {
        var response = context.Response;
        response.StatusCode = e.HttpStatus;
        response.ContentType = "application/json";
        if (e.Code == ErrorCode.RequestLimitExceeded)
        {
            response.Headers.RetryAfter = "1";
        }

        var body = new ErrorDto { ErrorCode = ErrorCodes.ToWire(e.Code), Message = e.Message };
        await JsonSerializer.SerializeAsync(response.Body, body, WireJson.Default.ErrorDto, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task MetadataAsync(HttpContext context, string name)
    {
        var requestId = RequestIds.From(context);
        context.Response.Headers["x-request-id"] = requestId;
        try
        {
            var table = context.RequestServices.GetRequiredService<InferenceEngine>().Resolve(name);
            context.Response.Headers["x-keel-model-version"] = table.Primary.Version;
            context.Response.ContentType = "application/json";
            using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                V2Response.WriteMetadata(writer, name, table.Live.Select(v => v.Version).Distinct(), table.Primary.Model.Model);
            }

            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (KeelException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private static async Task ModelReadyAsync(HttpContext context, string name)
    {
        try
        {
            context.RequestServices.GetRequiredService<InferenceEngine>().Resolve(name);
            await WriteBytesAsync(context, Ready).ConfigureAwait(false);
        }
        catch (KeelException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private static Task WriteBytesAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.RequestServices.GetRequiredService<ServingMetrics>().ExportAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
