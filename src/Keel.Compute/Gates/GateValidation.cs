using System.Globalization;

namespace Keel.Compute.Gates;

/// <summary>Checks a gate's inputs and policy up front, naming the field and the rule it breaks.</summary>
internal static class GateValidation
{
    public const int MaxResamples = 100_000;

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName = the field) on the first problem; returns the number of classes (1 unless multiclass).</summary>
    public static int Validate(GateInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inputs.Policy, "policy");
        ArgumentNullException.ThrowIfNull(inputs.Labels, "labels");
        ArgumentNullException.ThrowIfNull(inputs.ChallengerPredictions, "challenger_predictions");
        ValidatePolicy(inputs.Policy);
        var rows = inputs.Labels.Count;
        Require(rows > 0, "labels", "must hold at least one row");
        var classes = 1;
        if (inputs.Task == GateTask.Multiclass)
        {
            Require(inputs.ChallengerPredictions.Count % rows == 0, "challenger_predictions", $"must hold rows × classes values ({rows} rows, got {inputs.ChallengerPredictions.Count})");
            classes = inputs.ChallengerPredictions.Count / rows;
            Require(classes >= 2, "challenger_predictions", "must hold at least two class probabilities per row");
            Require(inputs.ClassNames is null || inputs.ClassNames.Count == classes, "class_names", $"must name each of the {classes} classes");
        }
        else
        {
            Require(inputs.ChallengerPredictions.Count == rows, "challenger_predictions", $"must hold one value per row ({rows}), got {inputs.ChallengerPredictions.Count}");
        }

        for (var i = 0; i < rows; i++)
        {
            var y = inputs.Labels[i];
            var field = Invariant($"labels[{i}]");
            Require(double.IsFinite(y), field, "must be a finite number");
            Require(inputs.Task != GateTask.Binary || y is 0 or 1, field, "must be 0 or 1 for a binary task");
            Require(inputs.Task != GateTask.Multiclass || (y >= 0 && y < classes && y == Math.Floor(y)), field, $"must be a class index in [0, {classes})");
        }

        Finite(inputs.ChallengerPredictions, "challenger_predictions");
        if (inputs.ChampionPredictions is { } champion)
        {
            Require(champion.Count == inputs.ChallengerPredictions.Count, "champion_predictions", $"must be shaped as the challenger's ({inputs.ChallengerPredictions.Count} values), got {champion.Count}");
            Finite(champion, "champion_predictions");
        }

        Columns(inputs.SliceColumns, rows, "slice_columns");
        Columns(inputs.SensitiveColumns, rows, "sensitive_columns");
        Latencies(inputs.ChallengerLatenciesMs, "challenger_latencies_ms");
        Latencies(inputs.ChampionLatenciesMs, "champion_latencies_ms");
        return classes;
    }

    private static void ValidatePolicy(GatePolicy p)
    {
        Require(p.Alpha > 0 && p.Alpha < 1, "policy.alpha", "must be between 0 and 1");
        Require(p.Confidence > 0 && p.Confidence < 1, "policy.confidence", "must be between 0 and 1");
        Require(p.BootstrapResamples is >= 1 and <= MaxResamples, "policy.bootstrap_resamples", $"must be between 1 and {MaxResamples}");
        Require(p.Threshold is >= 0 and <= 1, "policy.threshold", "must be between 0 and 1");
        ArgumentNullException.ThrowIfNull(p.Metrics, "policy.metrics");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < p.Metrics.Count; i++)
        {
            var r = p.Metrics[i];
            var f = Invariant($"policy.metrics[{i}]");
            Require(r is not null, f, "must be a rule");
            Require(!string.IsNullOrWhiteSpace(r!.Name), f + ".name", "must be a metric name");
            Require(names.Add(r.Name), f + ".name", $"'{r.Name}' has another rule already");
            Require(r.Bound is null || double.IsFinite(r.Bound.Value), f + ".bound", "must be a finite number");
            Require(r.MaxRegression is null || (r.MaxRegression >= 0 && double.IsFinite(r.MaxRegression.Value)), f + ".max_regression", "must be a finite number, 0 or more");
            Require(r.MaxRelativeRegression is null || (r.MaxRelativeRegression >= 0 && double.IsFinite(r.MaxRelativeRegression.Value)), f + ".max_relative_regression", "must be a finite number, 0 or more");
        }

        for (var i = 0; i < p.Slices.Count; i++)
        {
            var s = p.Slices[i];
            var f = Invariant($"policy.slices[{i}]");
            Require(!string.IsNullOrWhiteSpace(s.Column), f + ".column", "must name a slice column");
            Require(s.MinSupport >= 1, f + ".min_support", "must be 1 or more");
            foreach (var m in s.Metrics ?? [])
            {
                Require(names.Contains(m), f + ".metrics", $"'{m}' has no rule in policy.metrics");
            }
        }

        for (var i = 0; i < p.Fairness.Count; i++)
        {
            var l = p.Fairness[i];
            var f = Invariant($"policy.fairness[{i}]");
            Require(!string.IsNullOrWhiteSpace(l.Column), f + ".column", "must name a sensitive column");
            Require(!string.IsNullOrWhiteSpace(l.Metric), f + ".metric", "must name a fairness figure");
            Require(l.Max is not null || l.Min is not null, f, "must set max or min");
            Require(l.Max is null || double.IsFinite(l.Max.Value), f + ".max", "must be a finite number");
            Require(l.Min is null || double.IsFinite(l.Min.Value), f + ".min", "must be a finite number");
        }

        if (p.Latency is { } b)
        {
            Require(b.P50Ms is not null || b.P95Ms is not null || b.P99Ms is not null, "policy.latency", "must set p50_ms, p95_ms or p99_ms");
            Require(b.P50Ms is null or > 0, "policy.latency.p50_ms", "must be more than 0");
            Require(b.P95Ms is null or > 0, "policy.latency.p95_ms", "must be more than 0");
            Require(b.P99Ms is null or > 0, "policy.latency.p99_ms", "must be more than 0");
        }
    }

    private static void Finite(IReadOnlyList<double> values, string field)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Require(double.IsFinite(values[i]), Invariant($"{field}[{i}]"), "must be a finite number");
        }
    }

    private static void Columns(IReadOnlyDictionary<string, IReadOnlyList<string>> columns, int rows, string field)
    {
        ArgumentNullException.ThrowIfNull(columns, field);
        foreach (var (name, values) in columns)
        {
            Require(values is not null && values.Count == rows, $"{field}.{name}", $"must hold one value per row ({rows})");
            Require(values!.All(v => v is not null), $"{field}.{name}", "must not hold nulls");
        }
    }

    private static void Latencies(IReadOnlyList<double>? values, string field)
    {
        if (values is null)
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            Require(double.IsFinite(values[i]) && values[i] >= 0, Invariant($"{field}[{i}]"), "must be a finite number of milliseconds, 0 or more");
        }
    }

    private static void Require(bool ok, string field, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {rule}.", field);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
