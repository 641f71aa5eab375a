using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Data.Tables;

/// <summary>
/// A table's columns read whole into arrays: integer and float columns as doubles (null → NaN),
/// every other column as strings (null stays null). For comparing two tables column by column
/// (drift); it holds the rows in memory, so it suits files, not unbounded logs.
/// </summary>
public sealed class ColumnarTable
{
    private ColumnarTable(IReadOnlyList<string> names, Dictionary<string, double[]> numeric, Dictionary<string, string?[]> text)
    {
        Names = names;
        Numeric = numeric;
        Text = text;
    }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Integer and floating-point columns.</summary>
    public IReadOnlyDictionary<string, double[]> Numeric { get; }

    /// <summary>String, boolean, date and other columns, as text.</summary>
    public IReadOnlyDictionary<string, string?[]> Text { get; }

    /// <summary>Reads a CSV, Parquet or JSON Lines file or folder; <paramref name="columns"/> limits the columns (null: all).</summary>
    public static async Task<ColumnarTable> ReadAsync(string fileOrDirectory, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        await using var table = await DuckTable.OpenAsync(TableSource.Open(fileOrDirectory), cancellationToken).ConfigureAwait(false);
        var chosen = new List<TableColumn>();
        foreach (var name in columns ?? table.Columns.Select(c => c.Name).ToList())
        {
            chosen.Add(table.Find(name) ?? throw KeelException.InvalidParameter(
                $"--columns: column '{name}' is not in {fileOrDirectory} (columns: {string.Join(", ", table.Columns.Select(c => c.Name))})."));
        }

        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var text = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        if (chosen.Count == 0)
        {
            return new ColumnarTable([], numeric, text);
        }

        var rows = await table.QueryAsync(
            "SELECT " + string.Join(", ", chosen.Select(c => Sql.Ident(c.Name))) + " FROM t", cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < chosen.Count; k++)
        {
            var column = chosen[k];
            if (column.IsNumeric)
            {
                var values = new double[rows.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    values[r] = rows[r][k] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN;
                }

                numeric[column.Name] = values;
            }
            else
            {
                // Equal strings share one instance, which keeps memory down and lets counting skip hashing.
                var pool = new Dictionary<string, string>(StringComparer.Ordinal);
                var values = new string?[rows.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    if (rows[r][k] is not { } v)
                    {
                        continue;
                    }

                    var s = v switch
                    {
                        bool b => b ? "True" : "False",
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        _ => v.ToString() ?? string.Empty,
                    };
                    values[r] = pool.TryGetValue(s, out var shared) ? shared : pool[s] = s;
                }

                text[column.Name] = values;
            }
        }

        return new ColumnarTable(chosen.Select(c => c.Name).ToArray(), numeric, text);
    }
}
