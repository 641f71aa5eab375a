using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// Every occurrence of a value (or a tuple of values) that appears more than once in the domain
/// is unexpected, as pandas' <c>duplicated(keep=False)</c>; nulls group together where the
/// domain keeps them.
/// </summary>
internal abstract class DuplicateCheck : MapCheck
{
    protected override string? Condition(DuckTable table) => null;

    protected override async Task<long> CountUnexpectedAsync(Evaluation evaluation, CancellationToken ct)
    {
        var keys = string.Join(", ", ValueColumns.Select(Sql.Ident));
        var row = await evaluation.Table.QuerySingleAsync(
            $"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM t WHERE {Domain} GROUP BY {keys} HAVING count(*) > 1)", ct).ConfigureAwait(false);
        return JsonValues.ToLong(row[0]);
    }

    protected override string UnexpectedRows(DuckTable table)
    {
        var keys = string.Join(", ", ValueColumns.Select(Sql.Ident));
        var join = string.Join(" AND ", ValueColumns.Select(c => $"r.{Sql.Ident(c)} IS NOT DISTINCT FROM d.{Sql.Ident(c)}"));
        return $"SELECT {string.Join(", ", ValueColumns.Select(c => "r." + Sql.Ident(c)))}, r.{DuckTable.RowColumn} " +
               $"FROM (SELECT {keys}, {DuckTable.RowColumn} FROM ti WHERE {Domain}) r " +
               $"JOIN (SELECT {keys} FROM t WHERE {Domain} GROUP BY {keys} HAVING count(*) > 1) d ON {join}";
    }
}

internal sealed class UniqueCheck : DuplicateCheck
{
}

internal sealed class CompoundUniqueCheck : DuplicateCheck
{
    protected override Shape ValueShape => Shape.Multi;

    protected override IReadOnlyList<string> ValueColumns => Args.Strings("column_list");

    protected override string Domain => Ignore.Multicolumn(Args, ValueColumns);
}

/// <summary>
/// Each non-null value compared with the previous non-null value in row order (pandas'
/// <c>diff()</c> on the non-null values; the first value passes). Ties pass unless <c>strictly</c>.
/// </summary>
internal sealed class MonotonicCheck(bool increasing) : MapCheck
{
    protected override string? Condition(DuckTable table) => null;

    public override Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct) =>
        !Orderable(evaluation.Column(Args.Column)) && DomainCount(evaluation) == 0
            ? Task.FromResult(new CheckOutcome(true, MapOutput.Format(Format, evaluation.RowCount, 0, 0, [], [])))
            : base.EvaluateAsync(evaluation, ct);

    private static bool Orderable(TableColumn column) =>
        column.Logical is LogicalType.Integer or LogicalType.Float or LogicalType.Boolean or LogicalType.Date or LogicalType.Timestamp;

    protected override string UnexpectedRows(DuckTable table)
    {
        var column = table.Find(Args.Column)!;
        if (!Orderable(column))
        {
            throw new CheckException($"unsupported operand type(s) for -: 'str' and 'str' (column \"{Args.Column}\" is {column.DuckType}; increasing/decreasing need numbers or datetimes)");
        }

        var c = Sql.Ident(Args.Column);
        var op = (increasing, Args.Bool("strictly")) switch
        {
            (true, true) => ">",
            (true, false) => ">=",
            (false, true) => "<",
            (false, false) => "<=",
        };
        return $"SELECT {c}, {DuckTable.RowColumn} FROM (SELECT {c}, {DuckTable.RowColumn}, lag({c}) OVER (ORDER BY {DuckTable.RowColumn}) AS __prev FROM ti WHERE {c} IS NOT NULL) " +
               $"WHERE __prev IS NOT NULL AND NOT ({c} {op} __prev)";
    }
}

/// <summary>The <c>ignore_row_if</c> rules of pair and multicolumn expectations, as row filters.</summary>
internal static class Ignore
{
    public static string Pair(Kwargs args)
    {
        var a = Sql.Ident(args.String("column_A")!);
        var b = Sql.Ident(args.String("column_B")!);
        return (args.String("ignore_row_if") ?? "both_values_are_missing") switch
        {
            "either_value_is_missing" => $"({a} IS NOT NULL AND {b} IS NOT NULL)",
            "neither" => "TRUE",
            _ => $"({a} IS NOT NULL OR {b} IS NOT NULL)",
        };
    }

    public static string Multicolumn(Kwargs args, IReadOnlyList<string> columns)
    {
        var idents = columns.Select(Sql.Ident).ToList();
        return (args.String("ignore_row_if") ?? "all_values_are_missing") switch
        {
            "any_value_is_missing" => "(" + string.Join(" AND ", idents.Select(c => $"{c} IS NOT NULL")) + ")",
            "never" => "TRUE",
            _ => "(" + string.Join(" OR ", idents.Select(c => $"{c} IS NOT NULL")) + ")",
        };
    }
}
