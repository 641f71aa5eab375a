using Prometheus;

namespace Keel.Serving;

/// <summary>
/// The serving metrics in a private Prometheus registry (exported at /metrics). Label children are
/// resolved once per route when a routing table is built, so the hot path only increments.
/// </summary>
public sealed class ServingMetrics
{
    private readonly Counter _requests;
    private readonly Counter _errors;
    private readonly Histogram _latency;
    private readonly Histogram _loads;

    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("keel_serving_requests_total", "Inference requests answered, per endpoint and model version.", ["endpoint", "version", "role"]);
        _errors = factory.CreateCounter("keel_serving_errors_total", "Inference requests that failed, per endpoint, version and HTTP status.", ["endpoint", "version", "status"]);
        _latency = factory.CreateHistogram(
            "keel_serving_request_duration_seconds",
            "Time to score a request, per endpoint and model version.",
            ["endpoint", "version"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_025, 2, 16) });
        _loads = factory.CreateHistogram(
            "keel_model_load_seconds", "Time to fetch and load a model.", ["model_uri"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });
        QueueDepth = factory.CreateGauge("keel_prediction_log_queue_depth", "Records waiting in the prediction log queue.");
        QueueDropped = factory.CreateCounter("keel_prediction_log_dropped_total", "Prediction log records dropped because the queue was full.");
        QueueWritten = factory.CreateCounter("keel_prediction_log_written_total", "Prediction log records written.");
        WriteFailures = factory.CreateCounter("keel_prediction_log_write_failures_total", "Prediction log writes that failed (each attempt; a failed batch is retried once).");
        WriteDropped = factory.CreateCounter("keel_prediction_log_write_dropped_total", "Prediction log records dropped because writing them failed twice.");
        ShadowDropped = factory.CreateCounter("keel_serving_shadow_dropped_total", "Shadow copies not sent because too many were in flight.", ["endpoint"]);
        Rejected = factory.CreateCounter("keel_serving_rejected_total", "Requests refused by a guard rail (429, 413, 404, 400, 504).", ["endpoint", "status"]);
        RolloutTransitions = factory.CreateCounter("keel_rollout_transitions_total", "Rollout steps, promotions and rollbacks.", ["endpoint", "action"]);
    }

    /// <summary>The registry to export.</summary>
    public CollectorRegistry Registry { get; }

    internal Gauge QueueDepth { get; }

    internal Counter QueueDropped { get; }

    internal Counter QueueWritten { get; }

    internal Counter WriteFailures { get; }

    internal Counter WriteDropped { get; }

    internal Counter ShadowDropped { get; }

    internal Counter Rejected { get; }

    internal Counter RolloutTransitions { get; }

    internal RouteInstruments For(string endpoint, string version, string role) =>
        new(_requests.WithLabels(endpoint, version, role), _latency.WithLabels(endpoint, version), _errors.WithLabels(endpoint, version, "500"), _errors.WithLabels(endpoint, version, "400"));

    internal void ModelLoaded(string uri, TimeSpan elapsed) => _loads.WithLabels(uri).Observe(elapsed.TotalSeconds);

    /// <summary>Writes the Prometheus text exposition.</summary>
    public Task ExportAsync(Stream stream, CancellationToken cancellationToken) => Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
}
