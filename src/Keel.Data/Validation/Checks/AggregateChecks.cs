using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// A column statistic between <c>min_value</c> and <c>max_value</c> (null bound open, strict
/// bounds exclusive). A missing statistic (all values null) fails with a null observed value.
/// </summary>
internal sealed class StatisticCheck(string statistic) : Check
{
    private int _slot;
    private int _countSlot;

    public override IEnumerable<string> Columns => [Args.Column];

    public override void Plan(Planner planner)
    {
        var column = planner.Table.Find(Args.Column)!;
        var c = Sql.Ident(Args.Column);
        var numeric = column.IsNumeric || column.Logical == LogicalType.Boolean;
        var value = column.Logical == LogicalType.Boolean ? $"CAST({c} AS INTEGER)" : c;
        _countSlot = planner.Add($"count({c})");
        if (statistic is "mean" or "median" or "stdev" or "sum" && !numeric)
        {
            // Only an error when there are values to add up; an empty column has no statistic.
            _slot = -1;
            return;
        }

        _slot = planner.Add(statistic switch
        {
            "mean" => $"avg({value})",
            "median" => $"quantile_cont({value}, 0.5)",
            "stdev" => $"stddev_samp({value})",
            "sum" => $"sum({value})",
            "min" => $"min({c})",
            "max" => $"max({c})",
            "unique_value_count" => $"count(DISTINCT {c})",
            "proportion_of_unique_values" => $"count(DISTINCT {c})",
            _ => throw new InvalidOperationException(statistic),
        });
    }

    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var count = JsonValues.ToLong(evaluation[_countSlot]);
        if (_slot < 0)
        {
            return count == 0
                ? Task.FromResult(Observed(false, null))
                : throw new CheckException($"Column \"{Args.Column}\" is {evaluation.Column(Args.Column).DuckType}; the {statistic} needs numbers.");
        }

        var raw = evaluation[_slot];
        object? observed = statistic switch
        {
            // pandas sums an empty or all-null column to 0.
            "sum" => raw ?? 0L,
            "proportion_of_unique_values" => count == 0 ? null : JsonValues.ToLong(raw) / (double)count,
            _ => raw,
        };
        if (observed is double d && double.IsNaN(d))
        {
            observed = null;
        }

        if (observed is null)
        {
            return Task.FromResult(Observed(false, null));
        }

        var success = Literals.Between(observed, Args.Raw["min_value"], Args.Raw["max_value"], Args.Bool("strict_min"), Args.Bool("strict_max"));
        return Task.FromResult(Observed(success, JsonValues.From(observed)));
    }
}

/// <summary>
/// Quantiles with pandas' <c>interpolation</c> (GE passes <c>allow_relative_error</c> as it on
/// pandas; false means "nearest"); each must lie in its range, with a relative tolerance of 1e-4
/// at the bounds.
/// </summary>
internal sealed class QuantileCheck : Check
{
    public override IEnumerable<string> Columns => [Args.Column];

    public override async Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var column = evaluation.Column(Args.Column);
        if (!column.IsNumeric && column.Logical != LogicalType.Boolean)
        {
            throw new CheckException($"Column \"{Args.Column}\" is {column.DuckType}; quantiles need numbers.");
        }

        var ranges = (JsonObject)Args.Raw["quantile_ranges"]!;
        var quantiles = ((JsonArray)ranges["quantiles"]!).Select(q => q!.GetValue<double>()).ToList();
        var valueRanges = ((JsonArray)ranges["value_ranges"]!).Select(r => ((JsonArray)r!).Select(b => b is null ? (double?)null : b.GetValue<double>()).ToList()).ToList();
        var interpolation = Args.Raw["allow_relative_error"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "nearest";

        var c = $"CAST({Sql.Ident(Args.Column)} AS DOUBLE)";
        var n = JsonValues.ToLong((await evaluation.Table.QuerySingleAsync($"SELECT count({c}) FROM t", ct).ConfigureAwait(false))[0]);
        var values = new List<double?>();
        if (n > 0)
        {
            // Order statistics by position, each fetched exactly: DuckDB's quantile_disc(q) is the
            // value at ceil(n*q)-1, so the level (p + 0.5)/n lands on position p without rounding risk.
            var positions = new SortedSet<long>();
            foreach (var q in quantiles)
            {
                var h = q * (n - 1);
                positions.Add((long)Math.Floor(h));
                positions.Add((long)Math.Ceiling(h));
            }

            var list = positions.ToList();
            var levels = string.Join(", ", list.Select(p => Sql.Num((p + 0.5) / n)));
            var row = await evaluation.Table.QuerySingleAsync($"SELECT quantile_disc({c}, [{levels}]) FROM t WHERE {c} IS NOT NULL", ct).ConfigureAwait(false);
            var fetched = ((System.Collections.IList)row[0]!).Cast<object>().Select(o => JsonValues.ToDouble(o)!.Value).ToList();
            var at = list.Select((p, i) => (p, fetched[i])).ToDictionary(x => x.p, x => x.Item2);
            foreach (var q in quantiles)
            {
                var h = q * (n - 1);
                var lo = at[(long)Math.Floor(h)];
                var hi = at[(long)Math.Ceiling(h)];
                var frac = h - Math.Floor(h);
                values.Add(interpolation switch
                {
                    "linear" => lo + ((hi - lo) * frac),
                    "lower" => lo,
                    "higher" => hi,
                    "midpoint" => (lo + hi) / 2,
                    _ => Math.Round(h, MidpointRounding.ToEven) == Math.Floor(h) ? lo : hi,
                });
            }
        }
        else
        {
            values.AddRange(quantiles.Select(_ => (double?)null));
        }

        var details = new List<bool>();
        for (var i = 0; i < quantiles.Count; i++)
        {
            var lo = valueRanges[i][0] ?? double.NegativeInfinity;
            var hi = valueRanges[i][1] ?? double.PositiveInfinity;
            var x = values[i];
            details.Add(x is not null && (Close(x.Value, lo) || Close(x.Value, hi) || (lo <= x && x <= hi)));
        }

        var observed = new JsonObject
        {
            ["quantiles"] = new JsonArray(quantiles.Select(q => (JsonNode)q).ToArray()),
            ["values"] = new JsonArray(values.Select(x => x is null ? null : (JsonNode)x.Value).ToArray()),
        };
        return new CheckOutcome(details.All(b => b), new JsonObject
        {
            ["observed_value"] = observed,
            ["details"] = new JsonObject { ["success_details"] = new JsonArray(details.Select(b => (JsonNode)b).ToArray()) },
        });
    }

    // numpy.isclose with rtol 1e-4 and its default atol 1e-8.
    private static bool Close(double a, double b) => !double.IsInfinity(b) && Math.Abs(a - b) <= 1e-8 + (1e-4 * Math.Abs(b));
}

/// <summary>distinct_values_to_be_in_set / contain_set / equal_set, over the non-null distinct values.</summary>
internal sealed class DistinctSetCheck(string mode) : Check
{
    public override IEnumerable<string> Columns => [Args.Column];

    public override async Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var c = Sql.Ident(Args.Column);
        var rows = await evaluation.Table.QueryAsync($"SELECT {c}, count(*) FROM t WHERE {c} IS NOT NULL GROUP BY 1 ORDER BY 1", ct).ConfigureAwait(false);
        var observed = rows.Select(r => JsonValues.From(r[0])).ToList();
        var expected = Args.Values("value_set");
        var observedKeys = observed.Select(Key).ToHashSet(StringComparer.Ordinal);
        var expectedKeys = expected.Select(Key).ToHashSet(StringComparer.Ordinal);
        var success = mode switch
        {
            "in" => expectedKeys.Count == 0 || observedKeys.IsSubsetOf(expectedKeys),
            "contain" => observedKeys.IsSupersetOf(expectedKeys),
            _ => observedKeys.SetEquals(expectedKeys),
        };
        var counts = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["value"] = JsonValues.From(r[0]), ["count"] = JsonValues.ToLong(r[1]) }).ToArray());
        return Observed(success, new JsonArray(observed.ToArray()), new JsonObject { ["value_counts"] = counts });
    }

    // Python set membership: 1 == 1.0 == True, "1" differs from 1.
    internal static string Key(JsonNode? node)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case System.Text.Json.JsonValueKind.Number:
                    return "n:" + double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                case System.Text.Json.JsonValueKind.True:
                    return "n:1";
                case System.Text.Json.JsonValueKind.False:
                    return "n:0";
                case System.Text.Json.JsonValueKind.String:
                    return "s:" + v.GetValue<string>();
            }
        }

        return "j:" + (node?.ToJsonString() ?? "null");
    }
}

/// <summary>The most common value (all modes when tied) is in the set; with ties_okay false a tie fails.</summary>
internal sealed class MostCommonCheck : Check
{
    public override IEnumerable<string> Columns => [Args.Column];

    public override async Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var c = Sql.Ident(Args.Column);
        var rows = await evaluation.Table.QueryAsync(
            $"SELECT {c} FROM (SELECT {c}, count(*) AS n, max(count(*)) OVER () AS top FROM t WHERE {c} IS NOT NULL GROUP BY 1) WHERE n = top ORDER BY 1", ct).ConfigureAwait(false);
        var modes = rows.Select(r => JsonValues.From(r[0])).ToList();
        var expected = Args.Values("value_set").Select(DistinctSetCheck.Key).ToHashSet(StringComparer.Ordinal);
        var intersection = modes.Select(DistinctSetCheck.Key).Count(expected.Contains);
        var success = Args.Bool("ties_okay") ? intersection > 0 : modes.Count == 1 && intersection == 1;
        return Observed(success, new JsonArray(modes.ToArray()));
    }
}
