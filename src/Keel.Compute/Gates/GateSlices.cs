namespace Keel.Compute.Gates;

/// <summary>The metric rules judged per value of a slice column.</summary>
internal static class GateSlices
{
    public static IEnumerable<GateCheck> Judge(SliceRule slice, GateInputs inputs, GateData data, ISet<string> perRow)
    {
        var policy = inputs.Policy;
        if (!inputs.SliceColumns.TryGetValue(slice.Column, out var values))
        {
            yield return new GateCheck
            {
                Kind = GateCheckKind.Slice,
                Name = "slice_column",
                Column = slice.Column,
                Status = GateCheckStatus.Failed,
                Reason = $"slice column '{slice.Column}' was not provided with the evaluation set",
            };
            yield break;
        }

        var rules = slice.Metrics is null ? policy.Metrics : [.. policy.Metrics.Where(r => slice.Metrics.Contains(r.Name, StringComparer.Ordinal))];
        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (!groups.TryGetValue(values[i], out var rows))
            {
                groups[values[i]] = rows = [];
            }

            rows.Add(i);
        }

        foreach (var (value, rows) in groups)
        {
            var template = new GateCheck
            {
                Kind = GateCheckKind.Slice,
                Name = "support",
                Column = slice.Column,
                SliceValue = value,
                Support = rows.Count,
                Status = GateCheckStatus.InsufficientSupport,
                Reason = string.Empty,
            };
            if (rows.Count < slice.MinSupport)
            {
                yield return template with { Reason = $"{rows.Count} rows, fewer than the minimum support of {slice.MinSupport}: not judged" };
                continue;
            }

            var sub = data.Subset(rows);
            var challenger = sub.Metrics(sub.Challenger);
            var champion = sub.Champion is null ? null : sub.Metrics(sub.Champion);
            var judge = new MetricJudge(policy, sub, challenger, champion, perRow);
            foreach (var rule in rules)
            {
                if (!perRow.Contains(rule.Name))
                {
                    yield return template with
                    {
                        Name = rule.Name,
                        Status = GateCheckStatus.Skipped,
                        Reason = $"{rule.Name} is a supplied metric with no per-slice value",
                    };
                    continue;
                }

                var requirement = slice.RequireSignificance ? GateEvaluator.Requirement(rule, policy) : SignificanceRequirement.None;
                yield return judge.Judge(rule, requirement, template);
            }
        }
    }
}
