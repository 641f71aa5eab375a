using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>Pair expectations: the domain is the rows <c>ignore_row_if</c> keeps; a missing value in a kept row is unexpected (NaN compares false).</summary>
internal sealed class PairCheck(bool greater) : MapCheck
{
    protected override Shape ValueShape => Shape.Pair;

    protected override IReadOnlyList<string> ValueColumns => [Args.String("column_A")!, Args.String("column_B")!];

    protected override string Domain => Ignore.Pair(Args);

    protected override string? Condition(DuckTable table)
    {
        var a = table.Find(ValueColumns[0])!;
        var b = table.Find(ValueColumns[1])!;
        var (ia, ib) = (Sql.Ident(a.Name), Sql.Ident(b.Name));
        if (!greater && (a.DuckType == "JSON" || b.DuckType == "JSON"))
        {
            // A mixed-type column: Python equality on the values, compared as their JSON text.
            return $"NOT coalesce(CAST(to_json({ia}) AS VARCHAR) = CAST(to_json({ib}) AS VARCHAR), FALSE)";
        }

        if (!Comparable(a, b))
        {
            if (greater)
            {
                throw new CheckException($"'>' not supported between column \"{a.Name}\" ({a.DuckType}) and column \"{b.Name}\" ({b.DuckType})");
            }

            return "TRUE";
        }

        var op = greater ? (Args.Bool("or_equal") ? ">=" : ">") : "=";
        return $"NOT coalesce({ia} {op} {ib}, FALSE)";
    }

    internal static bool Comparable(TableColumn a, TableColumn b)
    {
        static int Kind(TableColumn c) => c.Logical switch
        {
            LogicalType.Integer or LogicalType.Float or LogicalType.Boolean => 0,
            LogicalType.Date or LogicalType.Timestamp => 1,
            _ => c.DuckType == "VARCHAR" ? 2 : 3,
        };

        return Kind(a) == Kind(b) && Kind(a) != 3;
    }
}

/// <summary>The row sum of the columns equals <c>sum_total</c>; a missing value makes the sum missing (skipna=False), so unexpected.</summary>
internal sealed class MulticolumnSumCheck : MapCheck
{
    protected override Shape ValueShape => Shape.Multi;

    protected override IReadOnlyList<string> ValueColumns => Args.Strings("column_list");

    protected override string Domain => Ignore.Multicolumn(Args, ValueColumns);

    protected override string? Condition(DuckTable table)
    {
        foreach (var name in ValueColumns)
        {
            var column = table.Find(name)!;
            if (!column.IsNumeric && column.Logical != LogicalType.Boolean)
            {
                throw new CheckException($"Column \"{name}\" is {column.DuckType}; expect_multicolumn_sum_to_equal needs numeric columns.");
            }
        }

        var sum = string.Join(" + ", ValueColumns.Select(c => $"CAST({Sql.Ident(c)} AS DOUBLE)"));
        return $"NOT coalesce(({sum}) = {Sql.Num(Args.Number("sum_total")!.Value)}, FALSE)";
    }
}

/// <summary>No two of the columns hold the same value in a row; two missing values count as the same (nunique with dropna=False).</summary>
internal sealed class UniqueWithinRecordCheck : MapCheck
{
    protected override Shape ValueShape => Shape.Multi;

    protected override IReadOnlyList<string> ValueColumns => Args.Strings("column_list");

    protected override string Domain => Ignore.Multicolumn(Args, ValueColumns);

    protected override string? Condition(DuckTable table)
    {
        var columns = ValueColumns.Select(c => table.Find(c)!).ToList();
        var pairs = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            for (var j = i + 1; j < columns.Count; j++)
            {
                var (a, b) = (Sql.Ident(columns[i].Name), Sql.Ident(columns[j].Name));
                pairs.Add(PairCheck.Comparable(columns[i], columns[j])
                    ? $"{a} IS NOT DISTINCT FROM {b}"
                    : $"({a} IS NULL AND {b} IS NULL)");
            }
        }

        return pairs.Count == 0 ? "FALSE" : string.Join(" OR ", pairs);
    }
}
