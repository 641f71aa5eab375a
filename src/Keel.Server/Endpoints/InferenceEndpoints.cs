using System.Buffers;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Scoring;
using Keel.Serving;
using Keel.Serving.Protocols;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// Model inference: the Open Inference Protocol (KServe V2, the model name is the endpoint's) and
/// MLflow's /invocations. Bodies are read by <see cref="WireIO"/> and errors written by
/// <see cref="ErrorHandling"/>, as on every route; answers carry x-request-id (errors included) and
/// x-keel-model-version, and the V2 routes' errors the spec's <c>"error"</c>.
/// </summary>
internal static class InferenceEndpoints
{
    private static readonly byte[] Live = """{"live":true}"""u8.ToArray();
    private static readonly byte[] Ready = """{"ready":true}"""u8.ToArray();

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", static c => WriteBytesAsync(c, Live));
        app.MapGet("/v2/health/ready", static c => WriteBytesAsync(c, Ready));
        app.MapGet("/v2/models/{name}", MetadataAsync).WithMetadata(OpenInferenceErrors.Instance);
        app.MapGet("/v2/models/{name}/ready", ModelReadyAsync).WithMetadata(OpenInferenceErrors.Instance);
        app.MapPost("/v2/models/{name}/infer", static (HttpContext c, string name) => InferAsync(c, name, v2: true)).WithMetadata(OpenInferenceErrors.Instance);
        app.MapPost("/endpoints/{name}/invocations", static (HttpContext c, string name) => InferAsync(c, name, v2: false));
        app.MapGet("/metrics", MetricsAsync);
    }

    private static async Task InferAsync(HttpContext context, string name, bool v2)
    {
        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        var requestId = RequestIds.From(context);
        context.Response.Headers[RequestIds.Header] = requestId;
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
            var (batch, id) = await WireIO.ReadBodyAsync<(ColumnBatch, string?)>(context, v2 ? V2Request.Parse : ParseInvocation).ConfigureAwait(false);
            engine.CheckSize(table, batch.RowCount);
            if (table.Endpoint.Features is { } features)
            {
                batch = await context.RequestServices.GetRequiredService<IFeatureEnricher>().EnrichAsync(name, features, batch, context.RequestAborted).ConfigureAwait(false);
            }

            var variant = InferenceEngine.Choose(table, batch, context.Request.Headers, static (h, n) => h.TryGetValue(n, out var v) ? v.ToString() : null);
            var result = engine.Predict(table, variant, batch, requestId);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds > table.Endpoint.Limits.TimeoutMs)
            {
                throw new KeelException(ErrorCode.DeadlineExceeded, $"Endpoint '{name}' did not answer within {table.Endpoint.Limits.TimeoutMs} ms.");
            }

            context.Response.Headers[RequestIds.ModelVersionHeader] = variant.Version;
            WriteResult(context, name, variant.Version, id, result, v2);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (entered)
            {
                table!.Gate.Exit();
            }
        }
    }

    private static (ColumnBatch Batch, string? Id) ParseInvocation(ReadOnlySequence<byte> body) =>
        (ScoringJson.ParseRequest(body.IsSingleSegment ? body.First : body.ToArray()), null);

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

    private static async Task MetadataAsync(HttpContext context, string name)
    {
        context.Response.Headers[RequestIds.Header] = RequestIds.From(context);
        var table = context.RequestServices.GetRequiredService<InferenceEngine>().Resolve(name);
        context.Response.Headers[RequestIds.ModelVersionHeader] = table.Primary.Version;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            V2Response.WriteMetadata(writer, name, table.Live.Select(v => v.Version).Distinct(), table.Primary.Model.Model);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task ModelReadyAsync(HttpContext context, string name)
    {
        context.RequestServices.GetRequiredService<InferenceEngine>().Resolve(name);
        return WriteBytesAsync(context, Ready);
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
