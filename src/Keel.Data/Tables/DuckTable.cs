using System.Data.Common;
using DuckDB.NET.Data;
using Keel.Core.Errors;

namespace Keel.Data.Tables;

/// <summary>
/// A table opened in a private in-memory DuckDB: view <c>t</c> holds the data and view <c>ti</c>
/// the same rows with <c>__keel_row</c>, the 0-based row index in file order. Parquet is scanned
/// in place; CSV and JSON Lines are parsed once into a temporary table so later passes do not
/// parse them again.
/// </summary>
internal sealed class DuckTable : IAsyncDisposable
{
    public const string RowColumn = "__keel_row";

    // pandas.read_csv reads these as missing and infers only bool, int64, float64 and text; CSV is
    // read the same way so suites written against pandas see the same nulls and types.
    private const string PandasNullStrings =
        "['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']";

    // JSON has no date type: text stays text (as pandas reads it), so formats that match nothing
    // switch DuckDB's date detection off.
    private const string NoDates = "%Y-%m-%dT%H:%M:%S.%f~keel~";

    private readonly DuckDBConnection _connection;

    private DuckTable(DuckDBConnection connection, IReadOnlyList<TableColumn> columns, IReadOnlySet<string> dictionaryColumns)
    {
        _connection = connection;
        Columns = columns;
        _dictionaryColumns = dictionaryColumns;
    }

    private readonly IReadOnlySet<string> _dictionaryColumns;

    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The private connection, for callers that build more views over the table (feature retrieval).</summary>
    internal DuckDBConnection Connection => _connection;

    /// <summary>
    /// A text column stored dictionary-encoded in every Parquet row group: few distinct values,
    /// so grouping by it is cheap and per-value work can run once per distinct value.
    /// </summary>
    public bool IsLowCardinalityText(string column) => _dictionaryColumns.Contains(column) && Find(column)?.DuckType == "VARCHAR";

    public static async Task<DuckTable> OpenAsync(TableSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var file in source.Files)
        {
            if (!File.Exists(file))
            {
                throw KeelException.InvalidParameter($"'{file}' does not exist or cannot be read.");
            }
        }

        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            var opening = System.Diagnostics.Stopwatch.StartNew();
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("KEEL_TRACE_SQL") == "1")
            {
                Console.Error.WriteLine($"{opening.Elapsed.TotalSeconds,7:F3}s open");
            }

            var files = Sql.StrList(source.Files.Select(Path.GetFullPath));
            try
            {
                switch (source.Format)
                {
                    case TableFormat.Parquet:
                        await ExecAsync(connection, $"CREATE VIEW t AS SELECT * FROM read_parquet({files})", ct).ConfigureAwait(false);
                        await ExecAsync(connection, await ParquetIndexViewAsync(connection, source, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                        break;
                    case TableFormat.Csv:
                        await ExecAsync(connection, $"CREATE TEMP TABLE t AS SELECT * FROM read_csv({files}, header = true, auto_detect = true, auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR'], nullstr = {PandasNullStrings})", ct).ConfigureAwait(false);
                        await ExecAsync(connection, $"CREATE VIEW ti AS SELECT *, rowid AS {RowColumn} FROM t", ct).ConfigureAwait(false);
                        break;
                    default:
                        await ExecAsync(connection, $"CREATE TEMP TABLE t AS SELECT * FROM read_json_auto({files}, format = 'newline_delimited', dateformat = '{NoDates}', timestampformat = '{NoDates}')", ct).ConfigureAwait(false);
                        await ExecAsync(connection, $"CREATE VIEW ti AS SELECT *, rowid AS {RowColumn} FROM t", ct).ConfigureAwait(false);
                        break;
                }
            }
            catch (DuckDBException e)
            {
                throw KeelException.InvalidParameter(
                    $"'{string.Join("', '", source.Files)}' cannot be read as {source.Format}: {FirstLine(e.Message)}");
            }

            var columns = new List<TableColumn>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position";
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1)));
                }
            }

            var dictionary = new HashSet<string>(StringComparer.Ordinal);
            if (source.Format == TableFormat.Parquet)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT path_in_schema FROM parquet_metadata({files}) GROUP BY 1 HAVING bool_and(encodings LIKE '%DICTIONARY%')";
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    dictionary.Add(reader.GetString(0));
                }
            }

            return new DuckTable(connection, columns, dictionary);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The DuckDB table function that reads <paramref name="source"/> the way <see cref="OpenAsync"/> does (CSV the pandas way), for a view scanned in place.</summary>
    internal static string ReadFunction(TableSource source)
    {
        var files = Sql.StrList(source.Files.Select(Path.GetFullPath));
        return source.Format switch
        {
            TableFormat.Parquet => $"read_parquet({files})",
            TableFormat.Csv => $"read_csv({files}, header = true, auto_detect = true, auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR'], nullstr = {PandasNullStrings})",
            _ => $"read_json_auto({files}, format = 'newline_delimited', dateformat = '{NoDates}', timestampformat = '{NoDates}')",
        };
    }

    public TableColumn? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Runs a query and returns every row as boxed values (DBNull turned into null).</summary>
    public async Task<List<object?[]>> QueryAsync(string sql, CancellationToken ct)
    {
        var trace = Environment.GetEnvironmentVariable("KEEL_TRACE_SQL") == "1" ? System.Diagnostics.Stopwatch.StartNew() : null;
        try
        {
            return await QueryCoreAsync(sql, ct).ConfigureAwait(false);
        }
        finally
        {
            if (trace is not null)
            {
                Console.Error.WriteLine($"{trace.Elapsed.TotalSeconds,7:F3}s {(Environment.GetEnvironmentVariable("KEEL_TRACE_FULL") == "1" ? sql : sql[..Math.Min(sql.Length, 150)])}");
            }
        }
    }

    private async Task<List<object?[]>> QueryCoreAsync(string sql, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(ReadRow(reader));
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<object?[]> QuerySingleAsync(string sql, CancellationToken ct)
    {
        var rows = await QueryAsync(sql, ct).ConfigureAwait(false);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Expected one row from: {sql}");
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static object?[] ReadRow(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    private static async Task<string> ParquetIndexViewAsync(DuckDBConnection connection, TableSource source, CancellationToken ct)
    {
        var full = source.Files.Select(Path.GetFullPath).ToList();
        if (full.Count == 1)
        {
            return $"CREATE VIEW ti AS SELECT * EXCLUDE (file_row_number), file_row_number AS {RowColumn} FROM read_parquet({Sql.Str(full[0])}, file_row_number = true)";
        }

        // Several files: the index continues across files in the order given, so each file's rows
        // are offset by the rows of the files before it (from the footers, no scan).
        var offsets = new List<string>();
        long offset = 0;
        foreach (var file in full)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT num_rows FROM parquet_file_metadata({Sql.Str(file)})";
            var rows = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            offsets.Add($"({Sql.Str(file)}, {offset})");
            offset += rows;
        }

        return $"CREATE VIEW ti AS SELECT p.* EXCLUDE (file_row_number, filename), p.file_row_number + o.off AS {RowColumn} " +
               $"FROM read_parquet({Sql.StrList(full)}, file_row_number = true, filename = true) p " +
               $"JOIN (VALUES {string.Join(", ", offsets)}) o(fname, off) ON p.filename = o.fname";
    }

    private static async Task ExecAsync(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        var trace = Environment.GetEnvironmentVariable("KEEL_TRACE_SQL") == "1" ? System.Diagnostics.Stopwatch.StartNew() : null;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        if (trace is not null)
        {
            Console.Error.WriteLine($"{trace.Elapsed.TotalSeconds,7:F3}s {sql[..Math.Min(sql.Length, 150)]}");
        }
    }

    private static string FirstLine(string message)
    {
        var index = message.IndexOf('\n', StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
