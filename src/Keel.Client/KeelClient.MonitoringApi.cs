using System.Globalization;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's monitoring API of an endpoint: windows of figures, delayed labels, settings.
public sealed partial class KeelClient
{
    /// <summary>
    /// An endpoint's monitoring figures per window: traffic, errors, latency, feature and prediction
    /// drift against the reference, and quality once labels arrive, overall and per model version.
    /// </summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="window">Window length, a multiple of the server's bucket (e.g. 5m, 1h, 1d); null for one bucket.</param>
    /// <param name="count">Windows by count instead: requests per window.</param>
    /// <param name="from">Range start; null for 24 windows (or a day) before <paramref name="to"/>.</param>
    /// <param name="to">Range end; null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; INVALID_PARAMETER_VALUE naming a bad argument.</exception>
    public Task<MonitoringReport> GetMonitoringAsync(string name, string? window = null, long? count = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        _transport.GetRecordAsync(
            $"{EndpointsApi}/{Uri.EscapeDataString(name)}/monitoring",
            [
                new("window", window),
                new("count", count?.ToString(CultureInfo.InvariantCulture)),
                new("from", from?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
                new("to", to?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            ],
            MonitoringJson.Default.MonitoringReport,
            cancellationToken);

    /// <summary>
    /// Sends delayed labels, joined to logged predictions by request id (the <c>x-request-id</c> the
    /// endpoint answered). All or nothing; the last label for a request wins. Safe to retry.
    /// </summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="labels">The labels (at most 100,000 per call).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; INVALID_PARAMETER_VALUE naming a bad label.</exception>
    public Task<FeedbackOutcome> SendFeedbackAsync(string name, FeedbackRequest labels, CancellationToken cancellationToken = default) =>
        _transport.SendRecordAsync(
            HttpMethod.Post, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/feedback", labels, MonitoringJson.Default.FeedbackRequest, MonitoringJson.Default.FeedbackOutcome, retry: true, cancellationToken);

    /// <summary>Counts of an endpoint's delayed labels.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LabelSummary> GetLabelSummaryAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.GetRecordAsync($"{EndpointsApi}/{Uri.EscapeDataString(name)}/monitoring/labels", [], MonitoringJson.Default.LabelSummary, cancellationToken);

    /// <summary>Sets an endpoint's explicit reference dataset (resolved to a version by the server) and drift options.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<MonitoringSettings> SetMonitoringSettingsAsync(string name, MonitoringSettingsRequest settings, CancellationToken cancellationToken = default) =>
        _transport.SendRecordAsync(
            HttpMethod.Put, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/monitoring/settings", settings, MonitoringJson.Default.MonitoringSettingsRequest, MonitoringJson.Default.MonitoringSettings, retry: true, cancellationToken);
}
