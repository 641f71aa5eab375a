namespace Keel.Core.Wire;

// Keel's monitoring-store API (/api/2.0/keel/monitoring/store): the monitoring store port over HTTP,
// so a `keel worker` that reaches the control plane only by HTTP stores the buckets it computes and
// reads labels exactly as a worker on the database does. Times are Unix milliseconds; statistics,
// predictions, scores, labels and quality travel as JSON text, stored as sent.

/// <summary>One time bucket of an endpoint's prediction log.</summary>
public sealed class MonitoringBucketMessage
{
    /// <summary>The endpoint's name (answers; in a request it may be left out, and must match the path when given).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The bucket's start, Unix milliseconds.</summary>
    public long? Start { get; set; }

    /// <summary>The bucket's length in seconds, 1-86400.</summary>
    public int? Seconds { get; set; }

    /// <summary>Requests logged in the bucket.</summary>
    public long? Requests { get; set; }

    /// <summary>The bucket's statistics: a JSON object, as text.</summary>
    public string? Stats { get; set; }

    /// <summary>When the bucket was computed, Unix milliseconds.</summary>
    public long? ComputedAt { get; set; }

    /// <summary>The quality summary (a JSON object, as text) once labels arrived; absent before. Ignored in a request.</summary>
    public string? Quality { get; set; }
}

/// <summary>A logged prediction indexed for label joins (its bucket is the one it is stored with).</summary>
public sealed class LoggedPredictionMessage
{
    /// <summary>The request's id, 1-200 characters.</summary>
    public string? RequestId { get; set; }

    /// <summary>The model version that answered.</summary>
    public string? Version { get; set; }

    /// <summary>The answer: a JSON value, as text.</summary>
    public string? Predicted { get; set; }

    /// <summary>Class probabilities or scores: a JSON value, as text; absent when the model gives none.</summary>
    public string? Scores { get; set; }
}

/// <summary>Body of storing a bucket with the predictions it saw.</summary>
public sealed class PutMonitoringBucketRequest
{
    /// <summary>The bucket's statistics.</summary>
    public MonitoringBucketMessage? Bucket { get; set; }

    /// <summary>The predictions scored in the bucket, request ids distinct.</summary>
    public List<LoggedPredictionMessage>? Predictions { get; set; }
}

/// <summary>Buckets of an endpoint, oldest first.</summary>
public sealed class MonitoringBucketsResponse
{
    /// <summary>The buckets.</summary>
    public List<MonitoringBucketMessage>? Buckets { get; set; }
}

/// <summary>The end of an endpoint's newest bucket.</summary>
public sealed class LatestBucketEndResponse
{
    /// <summary>Unix milliseconds; absent when the endpoint has no bucket.</summary>
    public long? End { get; set; }
}

/// <summary>A delayed label for one logged request.</summary>
public sealed class FeedbackLabelMessage
{
    /// <summary>The request's id, 1-200 characters.</summary>
    public string? RequestId { get; set; }

    /// <summary>The label: a JSON value, as text.</summary>
    public string? Label { get; set; }
}

/// <summary>Body of storing labels.</summary>
public sealed class AddLabelsRequest
{
    /// <summary>The labels, request ids distinct.</summary>
    public List<FeedbackLabelMessage>? Labels { get; set; }
}

/// <summary>What storing a batch of labels did.</summary>
public sealed class FeedbackOutcomeMessage
{
    /// <summary>Labels in the batch.</summary>
    public long Received { get; set; }

    /// <summary>Labels that replaced one stored earlier for the same request.</summary>
    public long Replaced { get; set; }

    /// <summary>Labels whose request is among the indexed predictions.</summary>
    public long Matched { get; set; }

    /// <summary>Labels whose request is not (yet) indexed.</summary>
    public long Unmatched { get; set; }
}

/// <summary>Starts of the buckets whose quality is stale.</summary>
public sealed class StaleQualityBucketsResponse
{
    /// <summary>Bucket starts, Unix milliseconds, oldest first.</summary>
    public List<long>? BucketStarts { get; set; }
}

/// <summary>A logged prediction with its label.</summary>
public sealed class LabeledPredictionMessage
{
    /// <summary>The request's id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The model version that answered.</summary>
    public string? Version { get; set; }

    /// <summary>The answer as JSON text.</summary>
    public string? Predicted { get; set; }

    /// <summary>Scores as JSON text, when there are any.</summary>
    public string? Scores { get; set; }

    /// <summary>The label as JSON text.</summary>
    public string? Label { get; set; }
}

/// <summary>A bucket's labeled predictions, by request id.</summary>
public sealed class LabeledPredictionsResponse
{
    /// <summary>The predictions that have a label.</summary>
    public List<LabeledPredictionMessage>? Predictions { get; set; }
}

/// <summary>Body of storing a bucket's quality.</summary>
public sealed class PutQualityRequest
{
    /// <summary>The quality summary: a JSON object, as text.</summary>
    public string? Quality { get; set; }

    /// <summary>When the labels were read, Unix milliseconds: labels received before it are counted, later ones keep the bucket stale.</summary>
    public long? ReadAt { get; set; }
}

/// <summary>Counts of an endpoint's stored labels.</summary>
public sealed class LabelSummaryMessage
{
    /// <summary>Labels stored (one per request id).</summary>
    public long Labels { get; set; }

    /// <summary>Of those, joined to a logged prediction.</summary>
    public long Matched { get; set; }

    /// <summary>Of those, not joined (yet).</summary>
    public long Unmatched { get; set; }

    /// <summary>Times a label was replaced by a later one.</summary>
    public long Replaced { get; set; }
}

/// <summary>Body of purging old monitoring rows.</summary>
public sealed class PurgeMonitoringRequest
{
    /// <summary>Buckets (and their indexed predictions) that start before this go, Unix milliseconds.</summary>
    public long? BucketsBefore { get; set; }

    /// <summary>Unmatched labels received before this go, Unix milliseconds.</summary>
    public long? UnmatchedLabelsBefore { get; set; }
}

/// <summary>What a purge deleted.</summary>
public sealed class PurgeMonitoringResponse
{
    /// <summary>Rows deleted.</summary>
    public long Deleted { get; set; }
}

/// <summary>An endpoint's monitoring settings.</summary>
public sealed class MonitoringSettingsMessage
{
    /// <summary>The endpoint's name (answers; in a request it may be left out, and must match the path when given).</summary>
    public string? Endpoint { get; set; }

    /// <summary>A pinned reference dataset version, <c>datasets:/NAME/VERSION</c>; absent for the training dataset.</summary>
    public string? Reference { get; set; }

    /// <summary>Drift options: a JSON object, as text; absent for the automatic choice.</summary>
    public string? Drift { get; set; }

    /// <summary>When the settings were set, Unix milliseconds.</summary>
    public long? UpdatedAt { get; set; }
}

/// <summary>An endpoint's monitoring settings, or {} when none were set.</summary>
public sealed class MonitoringSettingsResponse
{
    /// <summary>The settings; absent when none were set.</summary>
    public MonitoringSettingsMessage? Settings { get; set; }
}

/// <summary>The empty answer of a write that has nothing to report.</summary>
public sealed class MonitoringStoreEmpty
{
}
