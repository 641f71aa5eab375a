using Keel.Application.Validation;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// The monitoring store as a service over HTTP (the monitoring-store API): what a <c>keel worker</c>
/// that reaches the control plane only by HTTP does with the store. Every argument is checked here
/// (<see cref="MonitoringStoreRules"/>) before the store sees it, so bad input changes nothing.
/// </summary>
public sealed class MonitoringStoreService
{
    private readonly IMonitoringStore _store;

    /// <param name="store">The monitoring store.</param>
    public MonitoringStoreService(IMonitoringStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    public Task PutBucketAsync(string? endpoint, PutMonitoringBucketRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = MonitoringStoreRules.Bucket(MonitoringStoreRules.Endpoint(endpoint), request.Bucket);
        return _store.PutBucketAsync(bucket, MonitoringStoreRules.Predictions(request.Predictions, bucket.Start), cancellationToken);
    }

    public Task<IReadOnlyList<MonitoringBucket>> ListBucketsAsync(string? endpoint, string? from, string? to, CancellationToken cancellationToken)
    {
        var name = MonitoringStoreRules.Endpoint(endpoint);
        var (start, end) = (MonitoringStoreRules.Time(from, "from"), MonitoringStoreRules.Time(to, "to"));
        return end < start
            ? throw Core.Errors.KeelException.InvalidParameter($"Invalid to {to}: it must not be before from ({from}).")
            : _store.ListBucketsAsync(name, start, end, cancellationToken);
    }

    public Task<DateTimeOffset?> LatestBucketEndAsync(string? endpoint, CancellationToken cancellationToken) =>
        _store.LatestBucketEndAsync(MonitoringStoreRules.Endpoint(endpoint), cancellationToken);

    public Task<FeedbackOutcome> AddLabelsAsync(string? endpoint, AddLabelsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = MonitoringStoreRules.Endpoint(endpoint);
        return _store.AddLabelsAsync(name, MonitoringStoreRules.Labels(request.Labels), cancellationToken);
    }

    public Task<IReadOnlyList<DateTimeOffset>> StaleQualityBucketsAsync(string? endpoint, CancellationToken cancellationToken) =>
        _store.StaleQualityBucketsAsync(MonitoringStoreRules.Endpoint(endpoint), cancellationToken);

    public Task<IReadOnlyList<LabeledPrediction>> ReadLabeledAsync(string? endpoint, string? bucketStart, CancellationToken cancellationToken)
    {
        var name = MonitoringStoreRules.Endpoint(endpoint);
        return _store.ReadLabeledAsync(name, MonitoringStoreRules.Time(bucketStart, "start"), cancellationToken);
    }

    public Task PutQualityAsync(string? endpoint, string? bucketStart, PutQualityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = MonitoringStoreRules.Endpoint(endpoint);
        var start = MonitoringStoreRules.Time(bucketStart, "start");
        var quality = MonitoringStoreRules.Json(request.Quality, "quality", System.Text.Json.JsonValueKind.Object);
        return _store.PutQualityAsync(name, start, quality, MonitoringStoreRules.Time(request.ReadAt, "read_at"), cancellationToken);
    }

    public Task<LabelSummary> LabelSummaryAsync(string? endpoint, CancellationToken cancellationToken) =>
        _store.LabelSummaryAsync(MonitoringStoreRules.Endpoint(endpoint), cancellationToken);

    public Task<long> PurgeAsync(PurgeMonitoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buckets = MonitoringStoreRules.Time(request.BucketsBefore, "buckets_before");
        return _store.PurgeAsync(buckets, MonitoringStoreRules.Time(request.UnmatchedLabelsBefore, "unmatched_labels_before"), cancellationToken);
    }

    public Task<MonitoringSettings?> GetSettingsAsync(string? endpoint, CancellationToken cancellationToken) =>
        _store.GetSettingsAsync(MonitoringStoreRules.Endpoint(endpoint), cancellationToken);

    public Task PutSettingsAsync(string? endpoint, MonitoringSettingsMessage? settings, CancellationToken cancellationToken) =>
        _store.PutSettingsAsync(MonitoringStoreRules.Settings(MonitoringStoreRules.Endpoint(endpoint), settings), cancellationToken);

    public Task DeleteEndpointAsync(string? endpoint, CancellationToken cancellationToken) =>
        _store.DeleteEndpointAsync(MonitoringStoreRules.Endpoint(endpoint), cancellationToken);
}
