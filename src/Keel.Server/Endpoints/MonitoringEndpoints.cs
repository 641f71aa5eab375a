using Keel.Application.Monitoring;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// The user-facing monitoring API of an endpoint: windows of figures (traffic, errors, latency,
/// drift, quality), delayed labels (feedback), label counts and monitoring settings.
/// </summary>
internal static class MonitoringEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/endpoints", "/ajax-api/2.0/keel/endpoints" })
        {
            var group = app.MapGroup(prefix).WithTags("Monitoring").PathParameter("name", "The endpoint name.");
            group.MapGet("/{name}/monitoring", ReportAsync)
                .Describe<MonitoringReport>("Read monitoring figures", "Per window: traffic, errors, latency, feature drift and prediction drift against the reference (Evidently's tests), and quality once labels arrive, overall and per model version. Windows merge stored buckets.", 400, 404)
                .Query("window", "Window length, a multiple of the bucket (e.g. 5m, 1h, 1d). Default: one bucket.")
                .Query("count", "Windows by count instead: consecutive buckets merged until they hold this many requests.", JsonSchemaType.Integer)
                .Query("from", "Range start, ISO-8601 or Unix ms. Default: 24 windows (or a day) before to.")
                .Query("to", "Range end, ISO-8601 or Unix ms. Default: now.");
            group.MapPost("/{name}/feedback", FeedbackAsync).Body<FeedbackRequest>()
                .Describe<FeedbackOutcome>("Send delayed labels", "Joins labels to logged predictions by request id (x-request-id). A label counts in the window of its prediction; a later label for the same request replaces the earlier one; labels for requests not logged yet are kept and joined when they are. All or nothing.", 400, 404);
            group.MapGet("/{name}/monitoring/labels", LabelsAsync)
                .Describe<LabelSummary>("Count labels", "Labels received, matched to a logged prediction, unmatched, and replaced.", 400, 404);
            group.MapGet("/{name}/monitoring/settings", GetSettingsAsync)
                .Describe<MonitoringSettings>("Read monitoring settings", "The explicit reference dataset (null: each version's training data) and drift options.", 400, 404);
            group.MapPut("/{name}/monitoring/settings", PutSettingsAsync).Body<MonitoringSettingsRequest>()
                .Describe<MonitoringSettings>("Set monitoring settings", "An explicit reference dataset (resolved to a version now) and drift options: method, threshold, per_type, per_type_threshold, per_column, per_column_threshold, drift_share.", 400, 404);
        }
    }

    private static MonitoringService Service(HttpContext context) => context.RequestServices.GetRequiredService<MonitoringService>();

    private static async Task ReportAsync(HttpContext context, string name)
    {
        var report = await Service(context).ReportAsync(
            name, QueryArgs.String(context, "window"), QueryArgs.String(context, "from"), QueryArgs.String(context, "to"), QueryArgs.Long(context, "count"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, report, MonitoringJson.Default.MonitoringReport).ConfigureAwait(false);
    }

    private static async Task FeedbackAsync(HttpContext context, string name)
    {
        var request = await WireIO.ReadAsync(context, MonitoringJson.Default.FeedbackRequest).ConfigureAwait(false);
        var outcome = await Service(context).AddFeedbackAsync(name, request, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, outcome, MonitoringJson.Default.FeedbackOutcome).ConfigureAwait(false);
    }

    private static async Task LabelsAsync(HttpContext context, string name)
    {
        var labels = await Service(context).LabelsAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, labels, MonitoringJson.Default.LabelSummary).ConfigureAwait(false);
    }

    private static async Task GetSettingsAsync(HttpContext context, string name)
    {
        var settings = await Service(context).GetSettingsAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, settings, MonitoringJson.Default.MonitoringSettings).ConfigureAwait(false);
    }

    private static async Task PutSettingsAsync(HttpContext context, string name)
    {
        var request = await WireIO.ReadAsync(context, MonitoringJson.Default.MonitoringSettingsRequest).ConfigureAwait(false);
        var settings = await Service(context).SetSettingsAsync(name, request, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, settings, MonitoringJson.Default.MonitoringSettings).ConfigureAwait(false);
    }
}
