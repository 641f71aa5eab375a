using Keel.Core.Errors;
using Keel.Core.Monitoring;

namespace Keel.Core.Wire;

/// <summary>Maps the monitoring store's records between the domain and the wire (Unix milliseconds), one way for the server and the SDK.</summary>
public static class MonitoringWire
{
    /// <summary>The wire form of a bucket.</summary>
    /// <param name="bucket">The bucket.</param>
    public static MonitoringBucketMessage ToMessage(MonitoringBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return new MonitoringBucketMessage
        {
            Endpoint = bucket.Endpoint,
            Start = bucket.Start.ToUnixTimeMilliseconds(),
            Seconds = bucket.Seconds,
            Requests = bucket.Requests,
            Stats = bucket.Stats,
            ComputedAt = bucket.ComputedAt.ToUnixTimeMilliseconds(),
            Quality = bucket.Quality,
        };
    }

    /// <summary>A bucket from its wire form, as a server answered it.</summary>
    /// <param name="message">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static MonitoringBucket FromMessage(MonitoringBucketMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MonitoringBucket(
            message.Endpoint ?? throw Malformed("bucket.endpoint"),
            Time(message.Start, "bucket.start"),
            message.Seconds ?? throw Malformed("bucket.seconds"),
            message.Requests ?? throw Malformed("bucket.requests"),
            message.Stats ?? throw Malformed("bucket.stats"),
            Time(message.ComputedAt, "bucket.computed_at"),
            message.Quality);
    }

    /// <summary>The wire form of an indexed prediction (its bucket is the one it is sent with).</summary>
    /// <param name="prediction">The prediction.</param>
    public static LoggedPredictionMessage ToMessage(LoggedPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return new LoggedPredictionMessage { RequestId = prediction.RequestId, Version = prediction.Version, Predicted = prediction.Predicted, Scores = prediction.Scores };
    }

    /// <summary>The wire form of a labeled prediction.</summary>
    /// <param name="prediction">The labeled prediction.</param>
    public static LabeledPredictionMessage ToMessage(LabeledPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return new LabeledPredictionMessage { RequestId = prediction.RequestId, Version = prediction.Version, Predicted = prediction.Predicted, Scores = prediction.Scores, Label = prediction.Label };
    }

    /// <summary>A labeled prediction from its wire form, as a server answered it.</summary>
    /// <param name="message">The wire form.</param>
    public static LabeledPrediction FromMessage(LabeledPredictionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new LabeledPrediction(
            message.RequestId ?? throw Malformed("request_id"),
            message.Version ?? throw Malformed("version"),
            message.Predicted ?? throw Malformed("predicted"),
            message.Scores,
            message.Label ?? throw Malformed("label"));
    }

    /// <summary>The wire form of settings.</summary>
    /// <param name="settings">The settings.</param>
    public static MonitoringSettingsMessage ToMessage(MonitoringSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MonitoringSettingsMessage { Endpoint = settings.Endpoint, Reference = settings.Reference, Drift = settings.Drift, UpdatedAt = settings.UpdatedAt.ToUnixTimeMilliseconds() };
    }

    /// <summary>Settings from their wire form, as a server answered them.</summary>
    /// <param name="message">The wire form.</param>
    public static MonitoringSettings FromMessage(MonitoringSettingsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MonitoringSettings(message.Endpoint ?? throw Malformed("settings.endpoint"), message.Reference, message.Drift, Time(message.UpdatedAt, "settings.updated_at"));
    }

    /// <summary>The wire form of a label batch's outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    public static FeedbackOutcomeMessage ToMessage(FeedbackOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new FeedbackOutcomeMessage { Received = outcome.Received, Replaced = outcome.Replaced, Matched = outcome.Matched, Unmatched = outcome.Unmatched };
    }

    /// <summary>The wire form of a label summary.</summary>
    /// <param name="summary">The summary.</param>
    public static LabelSummaryMessage ToMessage(LabelSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new LabelSummaryMessage { Labels = summary.Labels, Matched = summary.Matched, Unmatched = summary.Unmatched, Replaced = summary.Replaced };
    }

    private static DateTimeOffset Time(long? ms, string field) =>
        ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : throw Malformed(field);

    private static KeelException Malformed(string field) => new(ErrorCode.InternalError, $"The server's monitoring answer has no '{field}'.");
}
