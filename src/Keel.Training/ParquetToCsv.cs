using System.Globalization;
using System.Text;
using Keel.Core.Errors;
using Keel.ML.Batch;
using Parquet;

namespace Keel.Training;

/// <summary>
/// Streams a flat Parquet file into a temporary CSV, one row group at a time, so training reads
/// Parquet through the same profiled, typed text loader as CSV. Memory is bounded by a row group;
/// the cost is one extra sequential write of the data to local disk.
/// </summary>
internal static class ParquetToCsv
{
    public static async Task ConvertAsync(string parquetPath, string csvPath, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(parquetPath);
        await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        if (fields.Any(f => f.IsArray))
        {
            throw KeelException.InvalidParameter($"Field 'data': '{parquetPath}' has nested or repeated columns; keel train reads flat Parquet files.");
        }

        await using var output = new StreamWriter(csvPath, false, new UTF8Encoding(false), 1 << 16);
        await output.WriteLineAsync(string.Join(',', fields.Select(f => Quote(f.Name)))).ConfigureAwait(false);
        var line = new StringBuilder();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var arrays = new Array[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                // Parquet.Net types string columns read from a file as ReadOnlyMemory<char>; its string
                // overload reads them into plain strings, which is what a CSV line needs.
                if (fields[i].ClrType == typeof(ReadOnlyMemory<char>) || fields[i].ClrType == typeof(string))
                {
                    var strings = new string?[rows];
                    await group.ReadAsync(fields[i], strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                    arrays[i] = strings;
                }
                else
                {
                    arrays[i] = await ParquetColumns.ReadAsync(group, fields[i], rows, cancellationToken).ConfigureAwait(false);
                }
            }

            for (var r = 0; r < rows; r++)
            {
                line.Clear();
                for (var i = 0; i < arrays.Length; i++)
                {
                    if (i > 0)
                    {
                        line.Append(',');
                    }

                    line.Append(Format(arrays[i].GetValue(r)));
                }

                await output.WriteLineAsync(line.ToString()).ConfigureAwait(false);
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => Quote(s),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("o", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? string.Empty),
    };

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
