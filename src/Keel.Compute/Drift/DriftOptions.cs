namespace Keel.Compute.Drift;

/// <summary>
/// How to choose each column's method and threshold, with Evidently's precedence: a per-column
/// setting beats a per-type one, which beats the global one, which beats the automatic choice
/// (for thresholds: the method's default).
/// </summary>
public sealed record DriftOptions
{
    /// <summary>Method for every column (Evidently's all_features_stattest), or null for automatic.</summary>
    public string? Method { get; init; }

    /// <summary>Method for numeric columns (num_features_stattest).</summary>
    public string? NumericMethod { get; init; }

    /// <summary>Method for categorical columns (cat_features_stattest).</summary>
    public string? CategoricalMethod { get; init; }

    /// <summary>Method per column name (per_feature_stattest).</summary>
    public IReadOnlyDictionary<string, string> ColumnMethods { get; init; } = new Dictionary<string, string>();

    /// <summary>Threshold for every column (all_features_threshold).</summary>
    public double? Threshold { get; init; }

    /// <summary>Threshold for numeric columns.</summary>
    public double? NumericThreshold { get; init; }

    /// <summary>Threshold for categorical columns.</summary>
    public double? CategoricalThreshold { get; init; }

    /// <summary>Threshold per column name.</summary>
    public IReadOnlyDictionary<string, double> ColumnThresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>Dataset drift when the share of drifted columns is at least this (Evidently: 0.5).</summary>
    public double DriftShare { get; init; } = 0.5;

    /// <summary>Default options: automatic methods, default thresholds, drift share 0.5.</summary>
    public static DriftOptions Default { get; } = new();

    /// <summary>The method configured for a column, or null when the automatic choice applies.</summary>
    public string? MethodFor(string column, DriftColumnType type)
    {
        if (ColumnMethods.TryGetValue(column, out var perColumn))
        {
            return perColumn;
        }

        var perType = type == DriftColumnType.Numerical ? NumericMethod : CategoricalMethod;
        return perType ?? Method;
    }

    /// <summary>The threshold configured for a column, or null for the chosen method's default.</summary>
    public double? ThresholdFor(string column, DriftColumnType type)
    {
        if (ColumnThresholds.TryGetValue(column, out var perColumn))
        {
            return perColumn;
        }

        var perType = type == DriftColumnType.Numerical ? NumericThreshold : CategoricalThreshold;
        return perType ?? Threshold;
    }
}
