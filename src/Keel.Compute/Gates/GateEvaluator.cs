using Keel.Compute.Metrics;

namespace Keel.Compute.Gates;

/// <summary>
/// Champion vs challenger on one frozen evaluation set. Pure: the caller scores both models on the
/// same rows and passes labels, predictions, slice and sensitive columns and measured latencies; the
/// gate computes every metric itself with <see cref="BinaryMetrics"/>, <see cref="MulticlassMetrics"/>
/// or <see cref="RegressionMetrics"/>, then runs, in order: the first-model rule, the metric rules on
/// all rows, the same rules per slice value, the fairness limits and the latency budget. The gate
/// passes when no check fails. Rules for the edge cases:
/// <list type="bullet">
/// <item>No champion (first model): comparisons are skipped and only absolute checks run;
/// <see cref="GatePolicy.FirstModel"/> = pass (default) passes when they all hold, require_bounds also
/// fails every metric rule without a bound, fail fails the gate outright.</item>
/// <item>A metric missing for the challenger (undefined on the rows, unknown for the task, not
/// supplied) fails its check with a reason naming it. Missing for the champion: the comparison cannot
/// run, so the check fails, unless <see cref="GatePolicy.MissingChampionMetric"/> = bounds_only.</item>
/// <item>Zero baseline: a relative allowance is a fraction of |champion|, so with a champion at 0 it
/// allows no regression; an absolute allowance given too does not loosen it (the tighter wins).</item>
/// <item>Significance: see <see cref="SignificanceRequirement"/>; a challenger better but not
/// significantly so is reported as such, and fails where the rule requires significance.</item>
/// </list>
/// </summary>
public static class GateEvaluator
{
    /// <summary>Judges the challenger against the champion (or alone, for a first model) under the inputs' policy.</summary>
    /// <exception cref="ArgumentException">An input or the policy is malformed; <see cref="ArgumentException.ParamName"/> names the field.</exception>
    public static GateReport Evaluate(GateInputs inputs)
    {
        var classes = GateValidation.Validate(inputs);
        var policy = inputs.Policy;
        var data = GateData.Create(inputs, classes);
        var computed = data.Metrics(data.Challenger);
        var perRow = new HashSet<string>(computed.Keys, StringComparer.Ordinal);
        if (data.Champion is not null)
        {
            perRow.UnionWith(data.Metrics(data.Champion).Keys);
        }

        // Names the metric code can produce even where undefined here (auc with one class, say).
        perRow.UnionWith(KnownMetrics(data.Task));
        var challengerMetrics = Merge(computed, inputs.ChallengerMetrics, perRow, "challenger_metrics");
        var championMetrics = data.Champion is null ? null : Merge(data.Metrics(data.Champion), inputs.ChampionMetrics, perRow, "champion_metrics");
        var firstModel = championMetrics is null;

        var checks = new List<GateCheck>();
        if (firstModel)
        {
            checks.Add(FirstModelCheck(policy.FirstModel));
        }

        var judge = new MetricJudge(policy, data, challengerMetrics, championMetrics, perRow);
        var template = new GateCheck { Kind = GateCheckKind.Metric, Name = string.Empty, Status = GateCheckStatus.Skipped, Reason = string.Empty };
        foreach (var rule in policy.Metrics)
        {
            checks.Add(judge.Judge(rule, Requirement(rule, policy), template));
        }

        foreach (var slice in policy.Slices)
        {
            checks.AddRange(GateSlices.Judge(slice, inputs, data, perRow));
        }

        foreach (var limit in policy.Fairness)
        {
            checks.AddRange(GateFairness.Judge(limit, inputs, data));
        }

        if (policy.Latency is { } budget)
        {
            checks.AddRange(GateLatency.Judge(budget, inputs.ChallengerLatenciesMs, inputs.ChampionLatenciesMs));
        }

        var failed = checks.Where(c => c.Status == GateCheckStatus.Failed).ToList();
        return new GateReport
        {
            Decision = failed.Count == 0 ? GateDecision.Pass : GateDecision.Fail,
            Task = data.Task,
            Rows = data.Rows,
            FirstModel = firstModel,
            FirstModelPolicy = policy.FirstModel,
            Alpha = policy.Alpha,
            Checks = checks,
            Reasons = failed.Count > 0 ? [.. failed.Select(Describe)] : [PassSummary(checks, firstModel)],
            ChallengerMetrics = challengerMetrics,
            ChampionMetrics = championMetrics,
        };
    }

    /// <summary>The rule's own requirement, else superiority when the policy requires significance.</summary>
    internal static SignificanceRequirement Requirement(MetricRule rule, GatePolicy policy) =>
        rule.Significance ?? (policy.RequireSignificance ? SignificanceRequirement.Superiority : SignificanceRequirement.None);

    private static GateCheck FirstModelCheck(FirstModelPolicy rule) => new()
    {
        Kind = GateCheckKind.FirstModel,
        Name = "first_model",
        Status = rule == FirstModelPolicy.Fail ? GateCheckStatus.Failed : GateCheckStatus.Passed,
        Reason = rule switch
        {
            FirstModelPolicy.Fail => "there is no champion, and first_model=fail leaves promoting a first model to a person",
            FirstModelPolicy.RequireBounds => "there is no champion: only absolute checks apply, and every metric rule needs a bound (first_model=require_bounds)",
            _ => "there is no champion: only absolute checks apply (first_model=pass)",
        },
    };

    private static Dictionary<string, double> Merge(Dictionary<string, double> computed, IReadOnlyDictionary<string, double> supplied, ISet<string> perRow, string field)
    {
        var merged = new Dictionary<string, double>(computed, StringComparer.Ordinal);
        foreach (var (name, value) in supplied ?? new Dictionary<string, double>())
        {
            if (perRow.Contains(name))
            {
                throw new ArgumentException($"{field}.{name} is computed by the gate from the predictions and cannot be supplied.", field);
            }

            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"{field}.{name} must be a finite number.", field);
            }

            merged[name] = value;
        }

        return merged;
    }

    private static IEnumerable<string> KnownMetrics(GateTask task) => task switch
    {
        GateTask.Binary => ["auc", "pr_auc", "accuracy", "f1", "precision", "recall", "log_loss", "brier_score", "expected_calibration_error"],
        GateTask.Multiclass => ["accuracy", "micro_accuracy", "macro_accuracy", "log_loss"],
        _ => ["rmse", "mae", "r2", "residual_mean", "residual_std", "residual_p05", "residual_p50", "residual_p95", "residual_max_abs"],
    };

    private static string Describe(GateCheck c) => c.SliceValue is not null
        ? $"{c.Column}={c.SliceValue}: {c.Reason}"
        : c.Kind == GateCheckKind.Fairness ? $"{c.Column}: {c.Reason}" : c.Reason;

    private static string PassSummary(List<GateCheck> checks, bool firstModel)
    {
        var passed = checks.Count(c => c.Status == GateCheckStatus.Passed);
        var unsupported = checks.Count(c => c.Status == GateCheckStatus.InsufficientSupport);
        var text = $"all {passed} checks passed";
        if (unsupported > 0)
        {
            text += $"; {unsupported} slice value(s) had too few rows to judge";
        }

        return firstModel ? text + " (first model: absolute checks only)" : text;
    }

    /// <summary>Linear-interpolated percentile of unsorted values (numpy.percentile's default).</summary>
    internal static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return RegressionMetrics.Percentile(sorted, q);
    }
}
