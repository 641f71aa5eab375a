namespace Keel.Data.Tables;

/// <summary>
/// Writes a table (one file or a folder of parts, in any format Keel reads) as one CSV or Parquet
/// file through DuckDB's COPY, so a change of format or a merge of parts streams in DuckDB rather
/// than through .NET rows.
/// </summary>
public static class TableExport
{
    /// <summary>Writes <paramref name="source"/> to <paramref name="target"/> (overwritten) and returns the rows written.</summary>
    /// <param name="source">A CSV, Parquet or JSON Lines file or folder.</param>
    /// <param name="target">The file to write.</param>
    /// <param name="format">CSV (with a header row) or Parquet.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    public static async Task<long> ExportAsync(string source, string target, TableFormat format, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (format == TableFormat.JsonLines)
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Export writes CSV or Parquet.");
        }

        await using var table = await DuckTable.OpenAsync(TableSource.Open(source), cancellationToken).ConfigureAwait(false);
        var options = format == TableFormat.Parquet ? "FORMAT PARQUET" : "FORMAT CSV, HEADER";
        await table.ExecuteAsync($"COPY t TO {Sql.Str(Path.GetFullPath(target))} ({options})", cancellationToken).ConfigureAwait(false);
        var count = await table.QuerySingleAsync("SELECT count(*) FROM t", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
