using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// A yes/no question about each row of a domain (by default the non-null values of one column).
/// The shared scan counts the domain and the unexpected rows; the unexpected values themselves
/// are fetched, in row order and only as many as the result format shows, when some fail.
/// </summary>
internal abstract class MapCheck : Check
{
    // Great Expectations' cap on a COMPLETE unexpected list.
    private const int MaxResultRecords = 200_000;

    private int _domainSlot = -1;
    private int _unexpectedSlot = -1;

    protected enum Shape
    {
        Single,
        Pair,
        Multi,
    }

    protected virtual Shape ValueShape => Shape.Single;

    /// <summary>Columns whose values make up an unexpected value.</summary>
    protected virtual IReadOnlyList<string> ValueColumns => [Args.Column];

    public override IEnumerable<string> Columns => ValueColumns;

    /// <summary>not_be_null and be_null count every row and report no missing counts.</summary>
    protected virtual bool CountsEveryRow => false;

    /// <summary>The rows the question is asked of.</summary>
    protected virtual string Domain => $"{Sql.Ident(Args.Column)} IS NOT NULL";

    /// <summary>True for an unexpected row of the domain; null when the check counts through <see cref="UnexpectedRows"/>.</summary>
    protected abstract string? Condition(DuckTable table);

    /// <summary>For checks no row-wise condition can express: a query of the unexpected rows with their value columns and row index.</summary>
    protected virtual string UnexpectedRows(DuckTable table) =>
        $"SELECT {string.Join(", ", ValueColumns.Select(Sql.Ident))}, {DuckTable.RowColumn} FROM ti WHERE ({Domain}) AND ({Condition(table)})";

    /// <summary>Counts unexpected rows when there is no condition for the shared scan.</summary>
    protected virtual async Task<long> CountUnexpectedAsync(Evaluation evaluation, CancellationToken ct)
    {
        var row = await evaluation.Table.QuerySingleAsync($"SELECT count(*) FROM ({UnexpectedRows(evaluation.Table)})", ct).ConfigureAwait(false);
        return JsonValues.ToLong(row[0]);
    }

    public override void Plan(Planner planner)
    {
        var condition = Condition(planner.Table);
        // Single-column conditions may run over the column's distinct values instead of its rows.
        var group = condition is not null && ValueShape == Shape.Single && planner.Table.Find(ValueColumns[0])?.DuckType == "VARCHAR" ? ValueColumns[0] : null;
        _domainSlot = CountsEveryRow ? -1 : planner.AddCount(Domain, group);
        _unexpectedSlot = condition is null ? -1 : planner.AddCount($"({Domain}) AND ({condition})", group);
    }

    /// <summary>Non-null values in the domain, from the shared scan.</summary>
    protected long DomainCount(Evaluation evaluation) => CountsEveryRow ? evaluation.RowCount : JsonValues.ToLong(evaluation[_domainSlot]);

    public override async Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var total = evaluation.RowCount;
        long? nonnull = CountsEveryRow ? null : JsonValues.ToLong(evaluation[_domainSlot]);
        var unexpected = _unexpectedSlot >= 0
            ? JsonValues.ToLong(evaluation[_unexpectedSlot])
            : await CountUnexpectedAsync(evaluation, ct).ConfigureAwait(false);

        bool success;
        if (CountsEveryRow)
        {
            success = total == 0 || ((double)(total - unexpected) / total) >= Args.Mostly;
        }
        else
        {
            success = total == 0 || nonnull == 0 || ((double)(nonnull!.Value - unexpected) / nonnull.Value) >= Args.Mostly;
        }

        var values = new List<JsonNode?>();
        var indexes = new List<long>();
        if (Format.Level != ResultFormatLevel.BooleanOnly && unexpected > 0)
        {
            var limit = Format.Level == ResultFormatLevel.Complete ? MaxResultRecords : Format.PartialUnexpectedCount;
            if (limit > 0)
            {
                var rows = await evaluation.Table.QueryAsync(
                    $"SELECT * FROM ({UnexpectedRows(evaluation.Table)}) ORDER BY {DuckTable.RowColumn} LIMIT {limit}", ct).ConfigureAwait(false);
                var json = ValueColumns.Select(c => evaluation.Table.Find(c)?.DuckType == "JSON").ToArray();
                foreach (var row in rows)
                {
                    // Mixed-type columns (read as JSON) give back the value itself, not its JSON text.
                    for (var i = 0; i < json.Length; i++)
                    {
                        if (json[i] && row[i] is string text)
                        {
                            row[i] = JsonNode.Parse(text);
                        }
                    }

                    values.Add(ValueOf(row));
                    indexes.Add(JsonValues.ToLong(row[^1]));
                }
            }
        }

        return new CheckOutcome(success, MapOutput.Format(Format, total, nonnull, unexpected, values, indexes));
    }

    private JsonNode? ValueOf(object?[] row) => ValueShape switch
    {
        Shape.Single => JsonValues.From(row[0]),
        Shape.Pair => new JsonArray(JsonValues.From(row[0]), JsonValues.From(row[1])),
        _ => new JsonObject(ValueColumns.Select((c, i) => KeyValuePair.Create(c, JsonValues.From(row[i])))),
    };
}
