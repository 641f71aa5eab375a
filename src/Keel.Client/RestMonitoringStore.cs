using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// The monitoring store over a Keel server's monitoring-store API (<c>/api/2.0/keel/monitoring/store</c>):
/// the same <see cref="IMonitoringStore"/> the embedded backends implement, so a <c>keel worker</c>
/// pointed at a server stores buckets and reads labels exactly as one on the database does. Times
/// travel as Unix milliseconds (what the stores keep). Reads and idempotent writes (buckets, quality,
/// settings, deletes, purges) are retried on transient failures; labels are not, since a retried
/// batch would count its labels again as replaced.
/// </summary>
public sealed class RestMonitoringStore : IMonitoringStore
{
    private const string Api = "/api/2.0/keel/monitoring/store";
    private readonly RestTransport _transport;

    internal RestMonitoringStore(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task PutBucketAsync(MonitoringBucket bucket, IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(predictions);
        var message = MonitoringWire.ToMessage(bucket);
        message.Quality = null;
        var request = new PutMonitoringBucketRequest { Bucket = message, Predictions = [.. predictions.Select(MonitoringWire.ToMessage)] };
        await SendAsync(HttpMethod.Post, Path(bucket.Endpoint) + "/buckets", request, MonitoringStoreJson.Default.PutMonitoringBucketRequest, MonitoringStoreJson.Default.MonitoringStoreEmpty, retry: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MonitoringBucket>> ListBucketsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(
            Path(endpoint) + "/buckets", [new("from", Ms(from)), new("to", Ms(to))], MonitoringStoreJson.Default.MonitoringBucketsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (response.Buckets ?? []).Select(MonitoringWire.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> LatestBucketEndAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(Path(endpoint) + "/latest-bucket-end", [], MonitoringStoreJson.Default.LatestBucketEndResponse, cancellationToken).ConfigureAwait(false);
        return response.End is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null;
    }

    /// <inheritdoc/>
    public async Task<FeedbackOutcome> AddLabelsAsync(string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var request = new AddLabelsRequest { Labels = [.. labels.Select(l => new FeedbackLabelMessage { RequestId = l.RequestId, Label = l.Label })] };
        var r = await SendAsync(HttpMethod.Post, Path(endpoint) + "/labels", request, MonitoringStoreJson.Default.AddLabelsRequest, MonitoringStoreJson.Default.FeedbackOutcomeMessage, retry: false, cancellationToken).ConfigureAwait(false);
        return new FeedbackOutcome(r.Received, r.Replaced, r.Matched, r.Unmatched);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DateTimeOffset>> StaleQualityBucketsAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(Path(endpoint) + "/stale-quality", [], MonitoringStoreJson.Default.StaleQualityBucketsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (response.BucketStarts ?? []).Select(DateTimeOffset.FromUnixTimeMilliseconds)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabeledPrediction>> ReadLabeledAsync(string endpoint, DateTimeOffset bucketStart, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(BucketPath(endpoint, bucketStart) + "/labeled", [], MonitoringStoreJson.Default.LabeledPredictionsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (response.Predictions ?? []).Select(MonitoringWire.FromMessage)];
    }

    /// <inheritdoc/>
    public Task PutQualityAsync(string endpoint, DateTimeOffset bucketStart, string quality, DateTimeOffset readAt, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Put, BucketPath(endpoint, bucketStart) + "/quality", new PutQualityRequest { Quality = quality, ReadAt = readAt.ToUnixTimeMilliseconds() },
            MonitoringStoreJson.Default.PutQualityRequest, MonitoringStoreJson.Default.MonitoringStoreEmpty, retry: true, cancellationToken);

    /// <inheritdoc/>
    public async Task<LabelSummary> LabelSummaryAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(Path(endpoint) + "/labels/summary", [], MonitoringStoreJson.Default.LabelSummaryMessage, cancellationToken).ConfigureAwait(false);
        return new LabelSummary(r.Labels, r.Matched, r.Unmatched, r.Replaced);
    }

    /// <inheritdoc/>
    public async Task<long> PurgeAsync(DateTimeOffset bucketsBefore, DateTimeOffset unmatchedLabelsBefore, CancellationToken cancellationToken = default)
    {
        var request = new PurgeMonitoringRequest { BucketsBefore = bucketsBefore.ToUnixTimeMilliseconds(), UnmatchedLabelsBefore = unmatchedLabelsBefore.ToUnixTimeMilliseconds() };
        var r = await SendAsync(HttpMethod.Post, Api + "/purge", request, MonitoringStoreJson.Default.PurgeMonitoringRequest, MonitoringStoreJson.Default.PurgeMonitoringResponse, retry: true, cancellationToken).ConfigureAwait(false);
        return r.Deleted;
    }

    /// <inheritdoc/>
    public async Task<MonitoringSettings?> GetSettingsAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(Path(endpoint) + "/settings", [], MonitoringStoreJson.Default.MonitoringSettingsResponse, cancellationToken).ConfigureAwait(false);
        return response.Settings is null ? null : MonitoringWire.FromMessage(response.Settings);
    }

    /// <inheritdoc/>
    public Task PutSettingsAsync(MonitoringSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SendAsync(
            HttpMethod.Put, Path(settings.Endpoint) + "/settings", MonitoringWire.ToMessage(settings),
            MonitoringStoreJson.Default.MonitoringSettingsMessage, MonitoringStoreJson.Default.MonitoringStoreEmpty, retry: true, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteEndpointAsync(string endpoint, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path(endpoint), new MonitoringStoreEmpty(), MonitoringStoreJson.Default.MonitoringStoreEmpty, MonitoringStoreJson.Default.MonitoringStoreEmpty, retry: true, cancellationToken);

    private static string Path(string endpoint) => Api + "/endpoints/" + Uri.EscapeDataString(endpoint);

    private static string BucketPath(string endpoint, DateTimeOffset start) => Path(endpoint) + "/buckets/" + Ms(start);

    private static string Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, bool retry, CancellationToken cancellationToken)
        where TResponse : new() =>
        _transport.SendJsonAsync(method, path, body, requestType, responseType, retry, null, cancellationToken);
}
