using Keel.Compute.Metrics;
using static Keel.Compute.Gates.GateFormat;

namespace Keel.Compute.Gates;

/// <summary>Fairness limits on the challenger, from <see cref="GroupFairness"/>; the champion's figure is reported beside it.</summary>
internal static class GateFairness
{
    public static IEnumerable<GateCheck> Judge(FairnessLimit limit, GateInputs inputs, GateData data)
    {
        var template = new GateCheck
        {
            Kind = GateCheckKind.Fairness,
            Name = limit.Metric,
            Column = limit.Column,
            Status = GateCheckStatus.Failed,
            Reason = string.Empty,
        };
        if (!inputs.SensitiveColumns.TryGetValue(limit.Column, out var groups))
        {
            yield return template with { Reason = $"sensitive column '{limit.Column}' was not provided with the evaluation set" };
            yield break;
        }

        var column = groups.ToArray();
        var challenger = Report(data, column, data.Challenger);
        double? champion = null;
        if (data.Champion is not null && Report(data, column, data.Champion).Gaps.TryGetValue(limit.Metric, out var h) && double.IsFinite(h))
        {
            champion = h;
        }

        if (!challenger.Gaps.TryGetValue(limit.Metric, out var c))
        {
            yield return template with { Reason = $"unknown fairness figure '{limit.Metric}' for {data.Task.ToString().ToLowerInvariant()} models (known: {string.Join(", ", challenger.Gaps.Keys)})" };
            yield break;
        }

        if (!double.IsFinite(c))
        {
            yield return template with { Reason = $"{limit.Metric} is undefined for the challenger on '{limit.Column}' (no group has the rows it needs)" };
            yield break;
        }

        var bounds = new List<(double Bound, MetricDirection Direction)>();
        if (limit.Max is { } max)
        {
            bounds.Add((max, MetricDirection.LowerIsBetter));
        }

        if (limit.Min is { } min)
        {
            bounds.Add((min, MetricDirection.HigherIsBetter));
        }

        foreach (var (bound, direction) in bounds)
        {
            var lower = direction == MetricDirection.LowerIsBetter;
            var ok = lower ? c <= bound : c >= bound;
            yield return template with
            {
                Status = ok ? GateCheckStatus.Passed : GateCheckStatus.Failed,
                Direction = direction,
                Bound = bound,
                ChallengerValue = c,
                ChampionValue = champion,
                Delta = champion is null ? null : c - champion,
                Support = data.Rows,
                Reason = ok
                    ? $"{limit.Metric} {V(c)} is within the {(lower ? "maximum" : "minimum")} {V(bound)}"
                    : $"{limit.Metric} {V(c)} is {(lower ? "above the maximum" : "below the minimum")} {V(bound)}",
            };
        }
    }

    private static FairnessReport Report(GateData data, string[] groups, double[] predictions) => data.Task switch
    {
        GateTask.Binary => GroupFairness.Binary("gate", groups, data.BinaryLabels, [.. predictions.Select(p => p >= data.Threshold)], predictions),
        GateTask.Multiclass => GroupFairness.Multiclass("gate", groups, data.ClassLabels, MulticlassMetrics.Predict(predictions, data.Classes)),
        _ => GroupFairness.Regression("gate", groups, data.Labels, predictions),
    };
}
