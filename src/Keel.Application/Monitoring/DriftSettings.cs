using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Compute.Drift;
using Keel.Core.Errors;

namespace Keel.Application.Monitoring;

/// <summary>
/// Drift options of an endpoint, in Evidently's vocabulary: a global method and threshold, methods
/// and thresholds per column type (<c>num</c>, <c>cat</c>) and per column, and the drift share that
/// makes dataset drift. Precedence: per column, then per type, then global, then the automatic choice.
/// </summary>
internal sealed class DriftSettings
{
    /// <summary>The test names Evidently uses, which Keel accepts.</summary>
    public static IReadOnlyList<string> Methods => StatTests.All;

    [JsonPropertyName("method")]
    public string? Method { get; set; }

    [JsonPropertyName("threshold")]
    public double? Threshold { get; set; }

    [JsonPropertyName("per_type")]
    public Dictionary<string, string>? PerType { get; set; }

    [JsonPropertyName("per_type_threshold")]
    public Dictionary<string, double>? PerTypeThreshold { get; set; }

    [JsonPropertyName("per_column")]
    public Dictionary<string, string>? PerColumn { get; set; }

    [JsonPropertyName("per_column_threshold")]
    public Dictionary<string, double>? PerColumnThreshold { get; set; }

    [JsonPropertyName("drift_share")]
    public double DriftShare { get; set; } = 0.5;

    public static readonly DriftSettings Default = new();

    public string ToJson() => JsonSerializer.Serialize(this, BucketSketch.Json);

    public static DriftSettings FromStored(string? json) =>
        json is null ? Default : JsonSerializer.Deserialize<DriftSettings>(json, BucketSketch.Json) ?? Default;

    /// <summary>Reads and checks options sent by a user; a bad one is INVALID_PARAMETER_VALUE naming the field.</summary>
    public static DriftSettings Parse(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: it must be an object (method, threshold, per_type, per_type_threshold, per_column, per_column_threshold, drift_share).");
        }

        DriftSettings settings;
        try
        {
            var options = new JsonSerializerOptions(BucketSketch.Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
            settings = element.Deserialize<DriftSettings>(options) ?? new DriftSettings();
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: {e.Message}");
        }

        Check(settings.Method, $"{field}.method");
        CheckThreshold(settings.Threshold, $"{field}.threshold");
        foreach (var (type, method) in settings.PerType ?? [])
        {
            CheckType(type, $"{field}.per_type");
            Check(method, $"{field}.per_type.{type}");
        }

        foreach (var (type, threshold) in settings.PerTypeThreshold ?? [])
        {
            CheckType(type, $"{field}.per_type_threshold");
            CheckThreshold(threshold, $"{field}.per_type_threshold.{type}");
        }

        foreach (var (column, method) in settings.PerColumn ?? [])
        {
            Check(method, $"{field}.per_column.{column}");
        }

        foreach (var (column, threshold) in settings.PerColumnThreshold ?? [])
        {
            CheckThreshold(threshold, $"{field}.per_column_threshold.{column}");
        }

        if (settings.DriftShare is <= 0 or > 1 || double.IsNaN(settings.DriftShare))
        {
            throw KeelException.InvalidParameter($"Invalid {field}.drift_share {settings.DriftShare.ToString(CultureInfo.InvariantCulture)}: it must be in (0, 1].");
        }

        return settings;
    }

    /// <summary>The same options as the drift engine takes them.</summary>
    public DriftOptions ToOptions() => new()
    {
        Method = Method,
        NumericMethod = PerType?.GetValueOrDefault(FeatureSketch.Numeric),
        CategoricalMethod = PerType?.GetValueOrDefault(FeatureSketch.Categorical),
        ColumnMethods = PerColumn ?? new Dictionary<string, string>(),
        Threshold = Threshold,
        NumericThreshold = PerTypeThreshold?.TryGetValue(FeatureSketch.Numeric, out var n) == true ? n : null,
        CategoricalThreshold = PerTypeThreshold?.TryGetValue(FeatureSketch.Categorical, out var c) == true ? c : null,
        ColumnThresholds = PerColumnThreshold ?? new Dictionary<string, double>(),
        DriftShare = DriftShare,
    };

    private static void Check(string? method, string field)
    {
        if (method is not null && !Methods.Contains(method, StringComparer.Ordinal))
        {
            throw KeelException.InvalidParameter($"Invalid {field} '{method}': use one of {string.Join(", ", Methods)}.");
        }
    }

    private static void CheckType(string type, string field)
    {
        if (type is not (FeatureSketch.Numeric or FeatureSketch.Categorical))
        {
            throw KeelException.InvalidParameter($"Invalid {field} key '{type}': use num or cat.");
        }
    }

    private static void CheckThreshold(double? threshold, string field)
    {
        if (threshold is { } t && (double.IsNaN(t) || t <= 0 || double.IsInfinity(t)))
        {
            throw KeelException.InvalidParameter($"Invalid {field} {t.ToString(CultureInfo.InvariantCulture)}: it must be a positive number.");
        }
    }
}
