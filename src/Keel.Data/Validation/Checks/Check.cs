using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// One expectation compiled for DuckDB. Checks first add the aggregates they need to a shared
/// SELECT (so the whole suite costs one scan), then read their slots and run the few follow-up
/// queries they need (samples of unexpected values for failing checks, group-bys for uniqueness).
/// </summary>
internal abstract class Check
{
    public ExpectationConfiguration Config { get; private set; } = null!;

    public ResultFormat Format { get; private set; } = null!;

    public Kwargs Args { get; private set; } = null!;

    public Check Bind(ExpectationConfiguration config, ResultFormat format)
    {
        Config = config;
        Format = format;
        Args = new Kwargs(config.Kwargs);
        return this;
    }

    /// <summary>Columns the check reads; a missing one turns the check into an exception result.</summary>
    public virtual IEnumerable<string> Columns => [];

    /// <summary>Adds the aggregates this check reads; called once, before the shared scan.</summary>
    public virtual void Plan(Planner planner)
    {
    }

    /// <summary>The check's outcome from the shared scan's row and any further queries.</summary>
    public abstract Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct);

    protected static CheckOutcome Observed(bool success, JsonNode? observed, JsonObject? details = null)
    {
        var result = new JsonObject { ["observed_value"] = observed };
        if (details is not null)
        {
            result["details"] = details;
        }

        return new CheckOutcome(success, result);
    }
}

/// <summary>The success flag and the <c>result</c> object of one expectation.</summary>
internal sealed record CheckOutcome(bool Success, JsonObject Result);

/// <summary>Thrown for a problem with the data or kwargs at validation time; it becomes the expectation's <c>exception_info</c>.</summary>
internal sealed class CheckException(string message) : Exception(message);

/// <summary>
/// Collects the aggregate expressions of every check into as few scans as possible, sharing
/// duplicates: one SELECT over the table, plus, for low-cardinality text columns, one SELECT over
/// the column's distinct values with their counts (a regex then runs once per distinct value,
/// not once per row).
/// </summary>
internal sealed class Planner(DuckTable table)
{
    private readonly Dictionary<(string Group, string Expression), int> _slots = [];
    private readonly List<(string Group, string Expression)> _items = [];

    public DuckTable Table { get; } = table;

    public int Count => _items.Count;

    public int Add(string expression) => AddTo("", expression);

    /// <summary>Rows meeting <paramref name="condition"/>; over distinct values when <paramref name="column"/> is worth grouping.</summary>
    public int AddCount(string condition, string? column) =>
        column is not null && Table.IsLowCardinalityText(column)
            ? AddTo(column, $"coalesce(sum(__keel_n) FILTER (WHERE {condition}), 0)")
            : Add($"count(*) FILTER (WHERE {condition})");

    /// <summary>The queries to run, each with the slots its columns fill.</summary>
    public IEnumerable<(string Sql, List<int> Slots)> Queries()
    {
        foreach (var group in _items.Select((item, slot) => (item, slot)).GroupBy(x => x.item.Group))
        {
            var exprs = string.Join(", ", group.Select(x => x.item.Expression));
            var from = group.Key.Length == 0
                ? "t"
                : $"(SELECT {Sql.Ident(group.Key)}, count(*) AS __keel_n FROM t GROUP BY 1)";
            yield return ($"SELECT {exprs} FROM {from}", group.Select(x => x.slot).ToList());
        }
    }

    private int AddTo(string group, string expression)
    {
        if (!_slots.TryGetValue((group, expression), out var slot))
        {
            slot = _items.Count;
            _items.Add((group, expression));
            _slots[(group, expression)] = slot;
        }

        return slot;
    }
}

/// <summary>What a check sees when it evaluates: the table, the shared row, the row count.</summary>
internal sealed class Evaluation(DuckTable table, object?[] row, long rowCount)
{
    public DuckTable Table { get; } = table;

    public long RowCount { get; } = rowCount;

    public object? this[int slot] => row[slot];

    public TableColumn Column(string name) => Table.Find(name) ?? throw new CheckException($"The column \"{name}\" in BatchData does not exist.");
}
