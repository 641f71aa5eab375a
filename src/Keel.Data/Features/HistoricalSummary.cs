namespace Keel.Data.Features;

/// <summary>What a retrieval produced.</summary>
/// <param name="Rows">Entity rows out (the same as in).</param>
/// <param name="Views">Per view joined, in request order, how many rows found an unexpired feature row.</param>
/// <param name="Columns">The output columns, entity columns first.</param>
/// <param name="Elapsed">Wall time of the whole retrieval.</param>
public sealed record HistoricalSummary(long Rows, IReadOnlyList<ViewMatch> Views, IReadOnlyList<string> Columns, TimeSpan Elapsed);

/// <summary>How many entity rows one view matched.</summary>
/// <param name="View">The feature view.</param>
/// <param name="Matched">Rows that found a feature row inside the TTL.</param>
/// <param name="Rows">Entity rows.</param>
public sealed record ViewMatch(string View, long Matched, long Rows)
{
    /// <summary>Matched / rows (0 when there are no rows).</summary>
    public double Share => Rows == 0 ? 0 : (double)Matched / Rows;
}
