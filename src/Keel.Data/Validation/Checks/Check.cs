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

/// <summary>Collects the aggregate expressions of every check into one SELECT, sharing duplicates.</summary>
internal sealed class Planner(DuckTable table)
{
    public DuckTable Table { get; } = table;

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

    public List<string> Expressions { get; } = [];

    public int Add(string expression)
    {
        if (!_slots.TryGetValue(expression, out var slot))
        {
            slot = Expressions.Count;
            Expressions.Add(expression);
            _slots[expression] = slot;
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
