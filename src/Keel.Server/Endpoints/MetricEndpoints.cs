using System.Text.Json;
using Keel.Application;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Metric history reads. get-history is a hot path (100,000 points), so it writes JSON directly.</summary>
internal static class MetricEndpoints
{
    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepName = JsonEncodedText.Encode("step");

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            var group = app.MapGroup(prefix + "/metrics");
            group.MapGet("/get-history", GetHistoryAsync);
            group.MapGet("/get-history-bulk", GetHistoryBulkAsync);
            group.MapGet("/get-history-bulk-interval", GetHistoryBulkIntervalAsync);
        }
    }

    private static TrackingService Service(HttpContext context) => context.RequestServices.GetRequiredService<TrackingService>();

    private static async Task GetHistoryAsync(HttpContext context)
    {
        var runId = QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid");
        var history = await Service(context).GetMetricHistoryAsync(runId, QueryArgs.String(context, "metric_key"), context.RequestAborted);
        if (history.Count == 0)
        {
            await WireIO.WriteEmptyAsync(context);
            return;
        }

        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;

        // The key is the same for every point: encode it once.
        var key = JsonEncodedText.Encode(history[0].Key);
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray(MetricsName);
        for (var i = 0; i < history.Count; i++)
        {
            var m = history[i];
            writer.WriteStartObject();
            writer.WriteString(KeyName, m.Key == history[0].Key ? key : JsonEncodedText.Encode(m.Key));
            writer.WritePropertyName(ValueName);
            WriteDouble(writer, m.Value);
            writer.WriteNumber(TimestampName, m.Timestamp);
            writer.WriteNumber(StepName, m.Step);
            writer.WriteEndObject();

            // Hand full chunks to the socket as we go rather than buffering the whole answer.
            if (writer.BytesPending > 32 * 1024)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetHistoryBulkAsync(HttpContext context)
    {
        // The UI's spelling: one run_id per repeated key (MLflow answers a list even when empty).
        var points = await Service(context).GetMetricHistoryBulkAsync(
            QueryArgs.List(context, "run_id"),
            QueryArgs.String(context, "metric_key"),
            QueryArgs.Int(context, "max_results"),
            context.RequestAborted);
        await WireIO.WriteAsync(context, new MetricsWithRunIdResponse { Metrics = ToDtos(points) }, WireJson.Default.MetricsWithRunIdResponse);
    }

    private static async Task GetHistoryBulkIntervalAsync(HttpContext context)
    {
        var points = await Service(context).GetMetricHistoryBulkIntervalAsync(
            QueryArgs.List(context, "run_ids"),
            QueryArgs.String(context, "metric_key"),
            QueryArgs.Long(context, "start_step"),
            QueryArgs.Long(context, "end_step"),
            QueryArgs.Int(context, "max_results"),
            context.RequestAborted);

        // Protobuf's JSON printer omits an empty list.
        var response = new MetricsWithRunIdResponse { Metrics = points.Count > 0 ? ToDtos(points) : null };
        await WireIO.WriteAsync(context, response, WireJson.Default.MetricsWithRunIdResponse);
    }

    private static List<MetricWithRunIdDto> ToDtos(IReadOnlyList<MetricWithRunId> points)
    {
        var dtos = new List<MetricWithRunIdDto>(points.Count);
        foreach (var p in points)
        {
            dtos.Add(new MetricWithRunIdDto
            {
                Key = p.Metric.Key,
                Value = p.Metric.Value,
                Timestamp = p.Metric.Timestamp,
                Step = p.Metric.Step,
                RunId = p.RunId,
            });
        }

        return dtos;
    }

    /// <summary>Protobuf's JSON writes non-finite doubles as strings; clients send and expect them so.</summary>
    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
