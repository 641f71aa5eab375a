using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

internal sealed class RowCountCheck(bool equal) : Check
{
    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var rows = evaluation.RowCount;
        var success = equal
            ? rows == Args.Number("value")
            : Literals.Between(rows, Args.Raw["min_value"], Args.Raw["max_value"], Args.Bool("strict_min"), Args.Bool("strict_max"));
        return Task.FromResult(Observed(success, rows));
    }
}

internal sealed class ColumnCountCheck(bool equal) : Check
{
    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        long count = evaluation.Table.Columns.Count;
        var success = equal
            ? count == Args.Number("value")
            : Literals.Between(count, Args.Raw["min_value"], Args.Raw["max_value"], Args.Bool("strict_min"), Args.Bool("strict_max"));
        return Task.FromResult(Observed(success, count));
    }
}

internal sealed class ColumnExistsCheck : Check
{
    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var names = evaluation.Table.Columns.Select(c => c.Name).ToList();
        var index = Args.Number("column_index");
        // GE treats column_index 0 like no index (a falsy value).
        var success = index is null or 0
            ? names.Contains(Args.Column)
            : index < names.Count && names[(int)index] == Args.Column;
        return Task.FromResult(new CheckOutcome(success, []));
    }
}

internal sealed class OrderedColumnsCheck : Check
{
    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var actual = evaluation.Table.Columns.Select(c => c.Name).ToList();
        var observed = new JsonArray(actual.Select(a => (JsonNode)a).ToArray());
        if (Args.IsNull("column_list"))
        {
            return Task.FromResult(Observed(true, observed));
        }

        var expected = Args.Strings("column_list");
        if (expected.SequenceEqual(actual))
        {
            return Task.FromResult(Observed(true, observed));
        }

        var mismatched = new JsonArray();
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : null;
            var f = i < actual.Count ? actual[i] : null;
            if (e != f)
            {
                mismatched.Add(new JsonObject { ["Expected Column Position"] = i, ["Expected"] = e, ["Found"] = f });
            }
        }

        return Task.FromResult(Observed(false, observed, new JsonObject { ["mismatched"] = mismatched }));
    }
}

internal sealed class ColumnSetCheck : Check
{
    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var actual = evaluation.Table.Columns.Select(c => c.Name).ToList();
        var expected = Args.Strings("column_set").ToHashSet(StringComparer.Ordinal);
        var exact = Args.Bool("exact_match");
        var actualSet = actual.ToHashSet(StringComparer.Ordinal);
        if ((Args.IsNull("column_set") && !exact) || actualSet.SetEquals(expected))
        {
            return Task.FromResult(Observed(true, new JsonArray(actual.Select(a => (JsonNode)a).ToArray())));
        }

        var unexpected = actualSet.Except(expected).Order(StringComparer.Ordinal).ToList();
        var missing = expected.Except(actualSet).Order(StringComparer.Ordinal).ToList();
        var mismatched = new JsonObject();
        if (unexpected.Count > 0)
        {
            mismatched["unexpected"] = new JsonArray(unexpected.Select(u => (JsonNode)u).ToArray());
        }

        if (missing.Count > 0)
        {
            mismatched["missing"] = new JsonArray(missing.Select(m => (JsonNode)m).ToArray());
        }

        var observed = new JsonArray(actual.Order(StringComparer.Ordinal).Select(a => (JsonNode)a).ToArray());
        var success = !exact && missing.Count == 0;
        return Task.FromResult(Observed(success, observed, new JsonObject { ["mismatched"] = mismatched }));
    }
}
