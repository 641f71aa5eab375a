using System.Globalization;
using System.Text.Json;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>
/// Argument rules of the monitoring store's API, checked once here so every backend can trust its
/// input: endpoint names as the serving API names endpoints, request ids, JSON documents, times in
/// Unix milliseconds, bucket lengths and batch sizes.
/// </summary>
internal static class MonitoringStoreRules
{
    /// <summary>The most predictions or labels one call carries.</summary>
    public const int MaxBatch = 100_000;

    public const int MaxRequestId = 200;
    public const int MaxBucketSeconds = 86_400;

    // Up to 9999-12-30: a bucket's end (start plus a day) still fits a DateTimeOffset.
    public const long MaxTime = 253_402_128_000_000;

    private const int MaxVersion = 200;

    public static string Endpoint(string? name) => ServingRules.Name(name);

    public static DateTimeOffset Time(long? ms, string field) =>
        ms switch
        {
            null => throw KeelException.MissingParameter(field),
            < 0 or > MaxTime => throw KeelException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture, $"Invalid {field} {ms}: it must be Unix milliseconds between 0 and {MaxTime}.")),
            _ => DateTimeOffset.FromUnixTimeMilliseconds(ms.Value),
        };

    /// <summary>A time given as query text, in Unix milliseconds.</summary>
    public static DateTimeOffset Time(string? text, string field) =>
        string.IsNullOrEmpty(text) ? throw KeelException.MissingParameter(field)
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) ? Time(ms, field)
        : throw KeelException.InvalidParameter($"Invalid {field} '{text}': it must be Unix milliseconds (an integer).");

    public static string RequestId(string? id, string field)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw KeelException.MissingParameter(field);
        }

        return id.Length <= MaxRequestId && !id.Any(char.IsControl)
            ? id
            : throw KeelException.InvalidParameter($"Invalid {field}: use 1-{MaxRequestId} characters, no control characters.");
    }

    /// <summary>JSON text of the given kind (any kind when null); null text is refused.</summary>
    public static string Json(string? text, string field, JsonValueKind? kind = null)
    {
        if (text is null)
        {
            throw KeelException.MissingParameter(field);
        }

        JsonValueKind found;
        try
        {
            using var document = JsonDocument.Parse(text);
            found = document.RootElement.ValueKind;
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: it is not one JSON value ({e.Message}).");
        }

        return kind is null || found == kind
            ? text
            : throw KeelException.InvalidParameter($"Invalid {field}: expected a JSON {Kind(kind.Value)}, got a {Kind(found)}.");
    }

    public static MonitoringBucket Bucket(string endpoint, MonitoringBucketMessage? bucket)
    {
        if (bucket is null)
        {
            throw KeelException.MissingParameter("bucket");
        }

        SamePath(bucket.Endpoint, endpoint, "bucket.endpoint");
        var seconds = bucket.Seconds switch
        {
            null => throw KeelException.MissingParameter("bucket.seconds"),
            < 1 or > MaxBucketSeconds => throw KeelException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture, $"Invalid bucket.seconds {bucket.Seconds}: it must be between 1 and {MaxBucketSeconds}.")),
            _ => bucket.Seconds.Value,
        };
        var requests = bucket.Requests switch
        {
            null => throw KeelException.MissingParameter("bucket.requests"),
            < 0 => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid bucket.requests {bucket.Requests}: it cannot be negative.")),
            _ => bucket.Requests.Value,
        };
        return new MonitoringBucket(
            endpoint, Time(bucket.Start, "bucket.start"), seconds, requests, Json(bucket.Stats, "bucket.stats", JsonValueKind.Object), Time(bucket.ComputedAt, "bucket.computed_at"));
    }

    public static List<LoggedPrediction> Predictions(List<LoggedPredictionMessage>? predictions, DateTimeOffset bucketStart)
    {
        var rows = predictions ?? [];
        Batch(rows.Count, "predictions");
        var seen = new HashSet<string>(rows.Count, StringComparer.Ordinal);
        var checkedRows = new List<LoggedPrediction>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var p = rows[i] ?? throw KeelException.InvalidParameter(Field("predictions", i, null) + " is null: each prediction must be an object.");
            var id = Distinct(seen, RequestId(p.RequestId, Field("predictions", i, "request_id")), Field("predictions", i, "request_id"));
            var version = string.IsNullOrEmpty(p.Version) ? throw KeelException.MissingParameter(Field("predictions", i, "version"))
                : p.Version.Length <= MaxVersion ? p.Version
                : throw KeelException.InvalidParameter($"Invalid {Field("predictions", i, "version")}: at most {MaxVersion} characters.");
            checkedRows.Add(new LoggedPrediction(
                id, bucketStart, version, Json(p.Predicted, Field("predictions", i, "predicted")), p.Scores is null ? null : Json(p.Scores, Field("predictions", i, "scores"))));
        }

        return checkedRows;
    }

    public static List<FeedbackLabel> Labels(List<FeedbackLabelMessage>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            throw KeelException.MissingParameter("labels");
        }

        Batch(labels.Count, "labels");
        var seen = new HashSet<string>(labels.Count, StringComparer.Ordinal);
        var checkedRows = new List<FeedbackLabel>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var l = labels[i] ?? throw KeelException.InvalidParameter(Field("labels", i, null) + " is null: each label must be an object.");
            var id = Distinct(seen, RequestId(l.RequestId, Field("labels", i, "request_id")), Field("labels", i, "request_id"));
            checkedRows.Add(new FeedbackLabel(id, Json(l.Label, Field("labels", i, "label"))));
        }

        return checkedRows;
    }

    public static MonitoringSettings Settings(string endpoint, MonitoringSettingsMessage? settings)
    {
        if (settings is null)
        {
            throw KeelException.MissingParameter("settings");
        }

        SamePath(settings.Endpoint, endpoint, "settings.endpoint");
        return new MonitoringSettings(
            endpoint,
            settings.Reference is null ? null : Reference(settings.Reference),
            settings.Drift is null ? null : Json(settings.Drift, "settings.drift", JsonValueKind.Object),
            Time(settings.UpdatedAt, "settings.updated_at"));
    }

    private static string Reference(string reference)
    {
        var uri = DatasetUri.Parse(reference);
        return uri is { Kind: DatasetUriKind.Version, Path.Length: 0 }
            ? reference
            : throw KeelException.InvalidParameter($"Invalid settings.reference '{reference}': expected a pinned dataset version, datasets:/NAME/VERSION (resolve an alias before storing it).");
    }

    private static void Batch(int count, string field)
    {
        if (count > MaxBatch)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: at most {MaxBatch} per call, got {count}."));
        }
    }

    private static string Distinct(HashSet<string> seen, string id, string field) =>
        seen.Add(id) ? id : throw KeelException.InvalidParameter($"Invalid {field} '{id}': request ids must be distinct within a batch.");

    private static void SamePath(string? given, string path, string field)
    {
        if (given is not null && !string.Equals(given, path, StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"Invalid {field} '{given}': it differs from the endpoint in the path '{path}'.");
        }
    }

    private static string Field(string list, int index, string? name) =>
        string.Create(CultureInfo.InvariantCulture, $"{list}[{index}]") + (name is null ? string.Empty : "." + name);

    private static string Kind(JsonValueKind kind) => kind.ToString().ToLowerInvariant();
}
