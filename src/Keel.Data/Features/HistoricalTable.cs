namespace Keel.Data.Features;

/// <summary>
/// A point-in-time result held in memory: the entity file's columns (values as DuckDB reads them)
/// then the features, whose values are in the shared representation of <see cref="Keel.Core.Features.FeatureValues.Normalize"/>
/// (long, double, string, bool, Unix milliseconds or null), one row per entity row, in input order.
/// </summary>
/// <param name="Columns">Column names, entity columns first.</param>
/// <param name="EntityColumnCount">How many of <paramref name="Columns"/> come from the entity file.</param>
/// <param name="Rows">The rows.</param>
public sealed record HistoricalTable(IReadOnlyList<string> Columns, int EntityColumnCount, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>The index of a column by name; -1 when absent.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
