namespace Keel.Core.Monitoring;

/// <summary>What a <see cref="MonitoringMetric"/> measures.</summary>
public enum MonitoringMetricKind
{
    /// <summary><c>traffic</c>: requests in the window.</summary>
    Traffic,

    /// <summary><c>error_rate</c>: failed requests over all requests, 0 to 1.</summary>
    ErrorRate,

    /// <summary><c>latency_p50</c>, in milliseconds.</summary>
    LatencyP50,

    /// <summary><c>latency_p95</c>, in milliseconds.</summary>
    LatencyP95,

    /// <summary><c>latency_p99</c>, in milliseconds.</summary>
    LatencyP99,

    /// <summary><c>drift_share</c>: the share of features that drifted, 0 to 1.</summary>
    DriftShare,

    /// <summary><c>drift_score:FEATURE</c>: one feature's drift score (a p-value or a distance, as its method reports it).</summary>
    DriftScore,

    /// <summary><c>prediction_drift_score</c>: the drift score of the model's outputs.</summary>
    PredictionDriftScore,

    /// <summary><c>accuracy</c> (classifiers, once labels arrive).</summary>
    Accuracy,

    /// <summary><c>precision</c> (classifiers).</summary>
    Precision,

    /// <summary><c>recall</c> (classifiers).</summary>
    Recall,

    /// <summary><c>f1</c> (classifiers).</summary>
    F1,

    /// <summary><c>auc</c> (classifiers).</summary>
    Auc,

    /// <summary><c>log_loss</c> (classifiers).</summary>
    LogLoss,

    /// <summary><c>rmse</c> (regressors).</summary>
    Rmse,

    /// <summary><c>mae</c> (regressors).</summary>
    Mae,

    /// <summary><c>r2</c> (regressors).</summary>
    R2,
}
