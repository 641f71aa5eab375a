using Keel.Application;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's monitoring-store API (/api/2.0/keel/monitoring/store): the monitoring store port over HTTP
/// for a <c>keel worker</c> that reaches the control plane only by HTTP. Thin: every argument is
/// checked by <see cref="MonitoringStoreService"/>. Times are Unix milliseconds, in the query, the
/// path and bodies alike. Users read monitoring through the endpoints API instead.
/// </summary>
internal static class MonitoringStoreEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/monitoring/store", "/ajax-api/2.0/keel/monitoring/store" })
        {
            var group = app.MapGroup(prefix).WithTags("Monitoring store")
                .PathParameter("name", "The endpoint name.")
                .PathParameter("start", "The bucket's start, Unix milliseconds.");
            group.MapPost("/endpoints/{name}/buckets", PutBucketAsync).Body<PutMonitoringBucketRequest>()
                .Describe<MonitoringStoreEmpty>("Store a bucket", "Stores a time bucket's statistics and indexes the predictions it saw (request ids distinct, at most 100000) in one transaction. A bucket stored again is replaced (statistics, requests, computed_at) but keeps its quality; labels of its predictions make it stale. Safe to retry.", 400);
            group.MapGet("/endpoints/{name}/buckets", ListBucketsAsync)
                .Describe<MonitoringBucketsResponse>("List buckets", "The endpoint's buckets that start in [from, to), oldest first.", 400)
                .Query("from", "Inclusive start, Unix milliseconds.", JsonSchemaType.Integer, required: true)
                .Query("to", "Exclusive end, Unix milliseconds (not before from).", JsonSchemaType.Integer, required: true);
            group.MapGet("/endpoints/{name}/latest-bucket-end", LatestBucketEndAsync)
                .Describe<LatestBucketEndResponse>("Read the watermark", "The end of the endpoint's newest bucket, Unix milliseconds; {} when it has none.", 400);
            group.MapGet("/endpoints/{name}/buckets/{start}/labeled", ReadLabeledAsync)
                .Describe<LabeledPredictionsResponse>("Read a bucket's labeled predictions", "The bucket's indexed predictions that have a label, with the label, by request id.", 400);
            group.MapPut("/endpoints/{name}/buckets/{start}/quality", PutQualityAsync).Body<PutQualityRequest>()
                .Describe<MonitoringStoreEmpty>("Store a bucket's quality", "Stores the quality (a JSON object) and counts the bucket's labels received before read_at; labels received later keep it stale.", 400);
            group.MapGet("/endpoints/{name}/stale-quality", StaleAsync)
                .Describe<StaleQualityBucketsResponse>("List buckets with stale quality", "Starts of the buckets, oldest first, one of whose predictions got a label (new or changed) since its quality was computed.", 400);
            group.MapPost("/endpoints/{name}/labels", AddLabelsAsync).Body<AddLabelsRequest>()
                .Describe<FeedbackOutcomeMessage>("Store labels", "Stores delayed labels, last write wins per request id (request ids distinct within a call, at most 100000), all or nothing, and counts them: received, replaced, matched to an indexed prediction, unmatched (kept and joined when the prediction is indexed).", 400);
            group.MapGet("/endpoints/{name}/labels/summary", LabelSummaryAsync)
                .Describe<LabelSummaryMessage>("Count labels", "The endpoint's stored labels, matched and unmatched, and how many times a label was replaced.", 400);
            group.MapGet("/endpoints/{name}/settings", GetSettingsAsync)
                .Describe<MonitoringSettingsResponse>("Read monitoring settings", "The endpoint's monitoring settings; {} when none were set.", 400);
            group.MapPut("/endpoints/{name}/settings", PutSettingsAsync).Body<MonitoringSettingsMessage>()
                .Describe<MonitoringStoreEmpty>("Set monitoring settings", "Replaces the endpoint's settings whole: a pinned reference dataset version (datasets:/NAME/VERSION) or none, drift options (a JSON object) or none, and updated_at.", 400);
            group.MapDelete("/endpoints/{name}", DeleteEndpointAsync)
                .Describe<MonitoringStoreEmpty>("Forget an endpoint", "Deletes the endpoint's buckets, indexed predictions, labels and settings.", 400);
            group.MapPost("/purge", (Delegate)PurgeAsync).Body<PurgeMonitoringRequest>()
                .Describe<PurgeMonitoringResponse>("Purge old rows", "Deletes buckets (with their indexed predictions) that start before buckets_before, and labels matching no prediction received before unmatched_labels_before, of every endpoint.", 400);
        }
    }

    private static MonitoringStoreService Service(HttpContext context) => context.RequestServices.GetRequiredService<MonitoringStoreService>();

    private static Task WriteEmptyAsync(HttpContext context) =>
        WireIO.WriteAsync(context, new MonitoringStoreEmpty(), MonitoringStoreJson.Default.MonitoringStoreEmpty);

    private static async Task PutBucketAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, MonitoringStoreJson.Default.PutMonitoringBucketRequest).ConfigureAwait(false);
        await Service(context).PutBucketAsync(name, r, context.RequestAborted).ConfigureAwait(false);
        await WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task ListBucketsAsync(HttpContext context, string name)
    {
        var buckets = await Service(context).ListBucketsAsync(name, QueryArgs.String(context, "from"), QueryArgs.String(context, "to"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new MonitoringBucketsResponse { Buckets = [.. buckets.Select(MonitoringWire.ToMessage)] }, MonitoringStoreJson.Default.MonitoringBucketsResponse).ConfigureAwait(false);
    }

    private static async Task LatestBucketEndAsync(HttpContext context, string name)
    {
        var end = await Service(context).LatestBucketEndAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new LatestBucketEndResponse { End = end?.ToUnixTimeMilliseconds() }, MonitoringStoreJson.Default.LatestBucketEndResponse).ConfigureAwait(false);
    }

    private static async Task ReadLabeledAsync(HttpContext context, string name, string start)
    {
        var predictions = await Service(context).ReadLabeledAsync(name, start, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new LabeledPredictionsResponse { Predictions = [.. predictions.Select(MonitoringWire.ToMessage)] }, MonitoringStoreJson.Default.LabeledPredictionsResponse).ConfigureAwait(false);
    }

    private static async Task PutQualityAsync(HttpContext context, string name, string start)
    {
        var r = await WireIO.ReadAsync(context, MonitoringStoreJson.Default.PutQualityRequest).ConfigureAwait(false);
        await Service(context).PutQualityAsync(name, start, r, context.RequestAborted).ConfigureAwait(false);
        await WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task StaleAsync(HttpContext context, string name)
    {
        var starts = await Service(context).StaleQualityBucketsAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StaleQualityBucketsResponse { BucketStarts = [.. starts.Select(s => s.ToUnixTimeMilliseconds())] }, MonitoringStoreJson.Default.StaleQualityBucketsResponse).ConfigureAwait(false);
    }

    private static async Task AddLabelsAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, MonitoringStoreJson.Default.AddLabelsRequest).ConfigureAwait(false);
        var outcome = await Service(context).AddLabelsAsync(name, r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, MonitoringWire.ToMessage(outcome), MonitoringStoreJson.Default.FeedbackOutcomeMessage).ConfigureAwait(false);
    }

    private static async Task LabelSummaryAsync(HttpContext context, string name)
    {
        var summary = await Service(context).LabelSummaryAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, MonitoringWire.ToMessage(summary), MonitoringStoreJson.Default.LabelSummaryMessage).ConfigureAwait(false);
    }

    private static async Task GetSettingsAsync(HttpContext context, string name)
    {
        var settings = await Service(context).GetSettingsAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new MonitoringSettingsResponse { Settings = settings is null ? null : MonitoringWire.ToMessage(settings) }, MonitoringStoreJson.Default.MonitoringSettingsResponse).ConfigureAwait(false);
    }

    private static async Task PutSettingsAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, MonitoringStoreJson.Default.MonitoringSettingsMessage).ConfigureAwait(false);
        await Service(context).PutSettingsAsync(name, r, context.RequestAborted).ConfigureAwait(false);
        await WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task DeleteEndpointAsync(HttpContext context, string name)
    {
        await Service(context).DeleteEndpointAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task PurgeAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, MonitoringStoreJson.Default.PurgeMonitoringRequest).ConfigureAwait(false);
        var deleted = await Service(context).PurgeAsync(r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PurgeMonitoringResponse { Deleted = deleted }, MonitoringStoreJson.Default.PurgeMonitoringResponse).ConfigureAwait(false);
    }
}
