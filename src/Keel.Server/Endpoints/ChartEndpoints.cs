using Keel.Application;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>Keel's chart reads (/api/2.0/keel/metrics): metric histories reduced for drawing, so a 100,000-point history draws at once.</summary>
internal static class ChartEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/metrics", "/ajax-api/2.0/keel/metrics" })
        {
            app.MapGet(prefix + "/history-downsampled", (Delegate)HistoryDownsampledAsync).WithTags("Metrics")
                .Describe<DownsampledHistoryResponse>(
                    "Read a metric history downsampled for a chart",
                    "One metric's full history of a run, ordered by step or by time, reduced with Largest-Triangle-Three-Buckets to at most max_points points that keep the line's shape (the first and last point always). A history of at most max_points points is answered whole. total is the full history's size, min and max its extremes.",
                    400, 404)
                .Query("run_id", "The run.", required: true)
                .Query("metric_key", "The metric.", required: true)
                .Query("max_points", "The most points to answer, 2-10000 (default 1000).", JsonSchemaType.Integer)
                .Query("x", "step (default) or time: the axis the points are ordered and sampled along.");
        }
    }

    private static async Task HistoryDownsampledAsync(HttpContext context)
    {
        var sample = await context.RequestServices.GetRequiredService<TrackingService>().GetDownsampledMetricHistoryAsync(
            QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid"),
            QueryArgs.String(context, "metric_key"),
            QueryArgs.Int(context, "max_points"),
            QueryArgs.String(context, "x"),
            context.RequestAborted).ConfigureAwait(false);
        var points = new List<ChartPoint>(sample.Points.Count);
        foreach (var m in sample.Points)
        {
            points.Add(new ChartPoint { Step = m.Step, Timestamp = m.Timestamp, Value = m.Value });
        }

        var response = new DownsampledHistoryResponse { Points = points, Total = sample.Total, Downsampled = sample.Downsampled, Min = sample.Min, Max = sample.Max };
        await WireIO.WriteAsync(context, response, ChartJson.Default.DownsampledHistoryResponse).ConfigureAwait(false);
    }
}
