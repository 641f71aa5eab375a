namespace Keel.Compute.Drift;

/// <summary>
/// Drift statistics with Evidently's semantics (its stattests, automatic choice, binning,
/// thresholds and precedence; see docs/monitoring.md), on raw columns or on mergeable summaries.
/// </summary>
public static class DriftEngine
{
    /// <summary>Compares every column (in parallel across columns) and applies the dataset rule.</summary>
    /// <exception cref="ArgumentException">Options name an unknown method, a method that does not apply to a column's type, or a column not given.</exception>
    public static DatasetDriftResult Compare(IReadOnlyList<DriftColumn> columns, DriftOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        options ??= DriftOptions.Default;
        Validate(options, columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal));
        var results = new ColumnDriftResult[columns.Count];

        // Numeric columns dominate (two sorts each), so they go first for a better balance.
        var order = Enumerable.Range(0, columns.Count).OrderBy(i => columns[i].Type == DriftColumnType.Numerical ? 0 : 1).ToArray();
        Parallel.For(0, order.Length,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            k => results[order[k]] = CompareColumn(columns[order[k]], options));
        return DatasetDriftResult.FromColumns(results, options.DriftShare);
    }

    /// <summary>One column by itself (a feature, or a model output: predicted class as categorical, score as numeric).</summary>
    public static ColumnDriftResult CompareColumn(DriftColumn column, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(column);
        options ??= DriftOptions.Default;
        CheckApplies(options, column.Name, column.Type);
        return column.Type == DriftColumnType.Numerical ? NumericDrift.Compare(column, options) : CategoricalDrift.Compare(column, options);
    }

    /// <summary>A numeric column from window summaries on the same edges (Exact = false).</summary>
    public static ColumnDriftResult CompareSummaries(string column, HistogramSummary reference, HistogramSummary current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        CheckApplies(options, column, DriftColumnType.Numerical);
        return SummaryDrift.Numeric(column, reference, current, options);
    }

    /// <summary>A categorical column from window category counts.</summary>
    public static ColumnDriftResult CompareSummaries(string column, CategoryCounts reference, CategoryCounts current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        CheckApplies(options, column, DriftColumnType.Categorical);
        return SummaryDrift.Categorical(column, reference, current, options);
    }

    /// <summary>
    /// Checks options against the columns: known method names, methods that apply to each
    /// column's type, finite non-negative thresholds, a drift share in [0, 1], per-column settings
    /// naming existing columns. The exception's ParamName is the option at fault.
    /// </summary>
    public static void Validate(DriftOptions options, IReadOnlyDictionary<string, DriftColumnType> columns)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(columns);
        CheckName(options.Method, "method");
        CheckName(options.NumericMethod, "numeric-method");
        CheckName(options.CategoricalMethod, "categorical-method");
        foreach (var (column, method) in options.ColumnMethods)
        {
            CheckName(method, "per-column");
            if (!columns.ContainsKey(column))
            {
                throw new DriftOptionsException("per-column", $"per-column names column '{column}', which is not among the compared columns.");
            }
        }

        CheckThreshold(options.Threshold, "threshold");
        CheckThreshold(options.NumericThreshold, "numeric-threshold");
        CheckThreshold(options.CategoricalThreshold, "categorical-threshold");
        foreach (var (column, threshold) in options.ColumnThresholds)
        {
            CheckThreshold(threshold, "per-column-threshold");
            if (!columns.ContainsKey(column))
            {
                throw new DriftOptionsException("per-column-threshold", $"per-column-threshold names column '{column}', which is not among the compared columns.");
            }
        }

        if (!(options.DriftShare is >= 0 and <= 1))
        {
            throw new DriftOptionsException("drift-share", $"drift-share must be a number from 0 to 1, got {options.DriftShare}.");
        }

        foreach (var (column, type) in columns)
        {
            CheckApplies(options, column, type);
        }
    }

    private static void CheckApplies(DriftOptions options, string column, DriftColumnType type)
    {
        var method = options.MethodFor(column, type);
        if (method is null)
        {
            return;
        }

        var option = options.ColumnMethods.ContainsKey(column) ? "per-column" : "method";
        CheckName(method, option);
        if (!StatTests.AppliesTo(method, type))
        {
            var kind = type == DriftColumnType.Numerical ? "numeric" : "categorical";
            var allowed = StatTests.All.Where(m => StatTests.AppliesTo(m, type));
            throw new DriftOptionsException(option,
                $"{option}: method '{method}' does not apply to {kind} column '{column}'; {kind} columns take {string.Join(", ", allowed)}.");
        }
    }

    private static void CheckName(string? method, string option)
    {
        if (method is not null && !StatTests.IsKnown(method))
        {
            throw new DriftOptionsException(option, $"{option}: unknown drift method '{method}'; expected one of {string.Join(", ", StatTests.All)}.");
        }
    }

    private static void CheckThreshold(double? threshold, string option)
    {
        if (threshold is { } t && !(double.IsFinite(t) && t >= 0))
        {
            throw new DriftOptionsException(option, $"{option} must be a finite number ≥ 0, got {t}.");
        }
    }
}
