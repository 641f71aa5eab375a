using static Keel.Compute.Gates.GateFormat;

namespace Keel.Compute.Gates;

/// <summary>Percentiles of the challenger's measured latencies against the budget.</summary>
internal static class GateLatency
{
    public static IEnumerable<GateCheck> Judge(LatencyBudget budget, IReadOnlyList<double>? challenger, IReadOnlyList<double>? champion)
    {
        foreach (var (name, q, limit) in new[] { ("p50_ms", 0.50, budget.P50Ms), ("p95_ms", 0.95, budget.P95Ms), ("p99_ms", 0.99, budget.P99Ms) })
        {
            if (limit is not { } bound)
            {
                continue;
            }

            var template = new GateCheck
            {
                Kind = GateCheckKind.Latency,
                Name = name,
                Direction = MetricDirection.LowerIsBetter,
                Bound = bound,
                Status = GateCheckStatus.Failed,
                Reason = string.Empty,
            };
            if (challenger is null || challenger.Count == 0)
            {
                yield return template with { Reason = $"no latencies were measured for the challenger, so {name} cannot be checked against {V(bound)} ms" };
                continue;
            }

            var c = GateEvaluator.Percentile(challenger, q);
            double? h = champion is { Count: > 0 } ? GateEvaluator.Percentile(champion, q) : null;
            var ok = c <= bound;
            yield return template with
            {
                Status = ok ? GateCheckStatus.Passed : GateCheckStatus.Failed,
                ChallengerValue = c,
                ChampionValue = h,
                Delta = h is null ? null : c - h,
                Support = challenger.Count,
                Reason = ok
                    ? $"{name} {V(c)} ms is within the budget of {V(bound)} ms"
                    : $"{name} {V(c)} ms is over the budget of {V(bound)} ms",
            };
        }
    }
}
