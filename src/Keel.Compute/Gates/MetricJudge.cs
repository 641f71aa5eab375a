using static Keel.Compute.Gates.GateFormat;

namespace Keel.Compute.Gates;

/// <summary>Judges one metric rule on one set of rows (all rows, or a slice value).</summary>
internal sealed class MetricJudge(GatePolicy policy, GateData data, IReadOnlyDictionary<string, double> challenger, IReadOnlyDictionary<string, double>? champion, ISet<string> perRowMetrics)
{
    /// <summary>Rows the rule is judged on.</summary>
    public GateData Data => data;

    public GateCheck Judge(MetricRule rule, SignificanceRequirement requirement, GateCheck template)
    {
        var name = rule.Name;
        var failures = new List<string>();
        var notes = new List<string>();
        var check = template with
        {
            Name = name,
            Direction = rule.Direction,
            Bound = rule.Bound,
            AllowedRelativeRegression = rule.MaxRelativeRegression,
            Support = data.Rows,
        };
        if (!challenger.TryGetValue(name, out var c))
        {
            var why = perRowMetrics.Contains(name) ? "undefined on these rows" : $"not computed for {Task} models and not supplied";
            return check with { Status = GateCheckStatus.Failed, Reason = $"metric '{name}' is missing for the challenger ({why})" };
        }

        check = check with { ChallengerValue = c };
        var higher = rule.Direction == MetricDirection.HigherIsBetter;
        if (rule.Bound is { } bound && (higher ? c < bound : c > bound))
        {
            failures.Add($"{name} {V(c)} is {(higher ? "below the minimum" : "above the maximum")} {V(bound)}");
        }

        if (champion is null)
        {
            if (policy.FirstModel == FirstModelPolicy.RequireBounds && rule.Bound is null)
            {
                failures.Add($"{name} has no absolute bound, and first_model=require_bounds asks a first model to meet one on every metric");
            }

            notes.Add("no champion: only the absolute bound applies");
        }
        else if (!champion.TryGetValue(name, out var h))
        {
            if (policy.MissingChampionMetric == MissingChampionMetricPolicy.Fail)
            {
                failures.Add($"metric '{name}' is missing for the champion, so the comparison cannot run (missing_champion_metric=fail)");
            }
            else
            {
                notes.Add($"metric '{name}' is missing for the champion: comparison skipped, bound only (missing_champion_metric=bounds_only)");
            }
        }
        else
        {
            check = Compare(rule, requirement, check, c, h, failures, notes);
        }

        if (failures.Count > 0)
        {
            return check with { Status = GateCheckStatus.Failed, Reason = string.Join("; ", failures) };
        }

        var summary = check.ChampionValue is { } champ
            ? $"{name} {V(c)} vs champion {V(champ)} ({Signed(c - champ)})"
            : $"{name} {V(c)}";
        notes.Insert(0, summary);
        return check with { Status = GateCheckStatus.Passed, Reason = string.Join("; ", notes) };
    }

    private string Task => data.Task.ToString().ToLowerInvariant();

    private GateCheck Compare(MetricRule rule, SignificanceRequirement requirement, GateCheck check, double c, double h, List<string> failures, List<string> notes)
    {
        var name = rule.Name;
        var higher = rule.Direction == MetricDirection.HigherIsBetter;
        var delta = c - h;
        var regression = higher ? -delta : delta;

        // The tighter allowance wins; none means no regression at all. A relative allowance is a
        // fraction of |champion|, so on a zero baseline it allows nothing: the safe reading of an
        // undefined ratio, and an absolute allowance cannot loosen it.
        var allowed = rule.MaxRegression ?? double.PositiveInfinity;
        var zeroBaseline = false;
        if (rule.MaxRelativeRegression is { } rel)
        {
            zeroBaseline = h == 0;
            allowed = Math.Min(allowed, rel * Math.Abs(h));
        }

        if (double.IsPositiveInfinity(allowed))
        {
            allowed = 0;
        }

        check = check with
        {
            ChampionValue = h,
            Delta = delta,
            RelativeDelta = h == 0 ? null : delta / Math.Abs(h),
            AllowedRegression = allowed,
        };
        var tolerance = PairedBootstrap.Tolerance * Math.Max(1, Math.Max(Math.Abs(c), Math.Abs(h)));
        if (regression > allowed + tolerance)
        {
            var baseline = zeroBaseline ? " (zero baseline: the champion's value is 0, so the relative allowance permits no regression)" : string.Empty;
            failures.Add($"{name} regressed by {V(regression)} ({V(h)} -> {V(c)}), more than the allowed {V(allowed)}{baseline}");
        }

        if (!perRowMetrics.Contains(name))
        {
            if (requirement != SignificanceRequirement.None)
            {
                failures.Add($"{name} was supplied without per-row predictions, so the required significance test cannot run");
            }

            return check;
        }

        if (requirement == SignificanceRequirement.None && !data.HasFastTest(name))
        {
            // An informational bootstrap of a metric without a fast form recomputes the full metric
            // code B times; not worth it when nothing depends on it.
            return check;
        }

        var sig = GateSignificanceRunner.Run(data, name, rule.Direction, requirement, allowed, policy);
        check = check with { Significance = sig };
        var improvement = -regression;
        if (requirement == SignificanceRequirement.Superiority && !sig.Significant)
        {
            failures.Add(improvement > tolerance
                ? $"{name} is better ({Signed(delta)}) but not significantly: {sig.Test} p={P(sig.PValue)} >= alpha {V(sig.Alpha)}, and significance is required"
                : $"{name} is not better than the champion ({V(h)} -> {V(c)}), and a significant improvement is required");
        }
        else if (requirement == SignificanceRequirement.NonInferiority && !sig.Significant)
        {
            failures.Add($"{name} is not shown to be within {V(allowed)} of the champion: bootstrap p={P(sig.PValue)} >= alpha {V(sig.Alpha)}, and non-inferiority is required");
        }
        else if (requirement == SignificanceRequirement.None && improvement > tolerance && !sig.Significant)
        {
            notes.Add($"better but not significantly ({sig.Test} p={P(sig.PValue)})");
        }
        else if (sig.Significant)
        {
            notes.Add(requirement == SignificanceRequirement.NonInferiority
                ? $"non-inferior within {V(allowed)} (bootstrap p={P(sig.PValue)})"
                : $"significantly better ({sig.Test} p={P(sig.PValue)})");
        }

        return check;
    }
}
