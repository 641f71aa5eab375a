using System.Globalization;
using System.Text;
using Keel.ML.Data;

namespace Keel.ML.Batch;

/// <summary>
/// CSV in, CSV out. Hand-written rather than CsvHelper because the job is columnar: only the model's
/// input fields are parsed, numbers straight from spans into column arrays, and every input line is
/// copied to the output verbatim with the prediction fields appended, so untouched columns keep
/// their exact text.
/// </summary>
internal static class CsvBatchFile
{
    // skipRows and takeRows pick a run of data rows (a part of a distributed batch; blank lines are
    // not rows); writeHeader is false for every part but the first, so the parts concatenate into one file.
    public static async Task<long> PredictAsync(
        IModel model, string inputPath, string outputPath, int chunkRows, IProgress<long>? progress, CancellationToken ct,
        long skipRows = 0, long takeRows = long.MaxValue, bool writeHeader = true)
    {
        using var reader = new StreamReader(inputPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        await using var writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);

        var headerLine = await ReadRecordAsync(reader, ct).ConfigureAwait(false);
        if (headerLine is null)
        {
            return 0;
        }

        for (var skipped = 0L; skipped < skipRows && await ReadRecordAsync(reader, ct).ConfigureAwait(false) is { } passed;)
        {
            if (passed.Length > 0)
            {
                skipped++;
            }
        }

        var header = CsvFields.Split(headerLine).Select(f => f.ToString()).ToArray();
        var plan = ColumnPlan(model, header);
        var lines = new string[chunkRows];
        var headerWritten = false;
        long total = 0;
        var fields = new List<Range>(header.Length);

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var rows = 0;
            while (rows < chunkRows && total + rows < takeRows && await ReadRecordAsync(reader, ct).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    lines[rows++] = line;
                }
            }

            if (rows == 0)
            {
                break;
            }

            var batch = Parse(lines, rows, header, plan, fields);
            var outputs = model.Predict(batch).ToTableColumns();
            if (!headerWritten && writeHeader)
            {
                await writer.WriteLineAsync(headerLine + "," + string.Join(",", outputs.Select(o => CsvFields.Quote(o.Name)))).ConfigureAwait(false);
                headerWritten = true;
            }

            var sb = new StringBuilder(256);
            for (var i = 0; i < rows; i++)
            {
                sb.Clear().Append(lines[i]);
                foreach (var o in outputs)
                {
                    sb.Append(',');
                    AppendValue(sb, o, i);
                }

                await writer.WriteLineAsync(sb, ct).ConfigureAwait(false);
            }

            total += rows;
            progress?.Report(total);
        }

        if (!headerWritten && writeHeader)
        {
            await writer.WriteLineAsync(headerLine).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Which header columns to parse and as what: the model's input columns, or every column for a model without one.</summary>
    private static ColumnKind?[] ColumnPlan(IModel model, string[] header)
    {
        var plan = new ColumnKind?[header.Length];
        var declared = model.InputColumns.Where(c => c.Name is not null).ToDictionary(c => c.Name!, c => ColumnConvert.KindOf(c.Type), StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (declared.Count == 0)
            {
                plan[i] = ColumnKind.String; // Typed later from the first chunk.
            }
            else if (declared.TryGetValue(header[i], out var kind))
            {
                plan[i] = kind is ColumnKind.Float or ColumnKind.Long ? ColumnKind.Double : kind;
            }
        }

        return plan;
    }

    private static ColumnBatch Parse(string[] lines, int rows, string[] header, ColumnKind?[] plan, List<Range> fields)
    {
        var doubles = new double[header.Length][];
        var strings = new string?[header.Length][];
        var bools = new bool[header.Length][];
        for (var c = 0; c < header.Length; c++)
        {
            switch (plan[c])
            {
                case ColumnKind.Double:
                    doubles[c] = new double[rows];
                    break;
                case ColumnKind.Bool:
                    bools[c] = new bool[rows];
                    break;
                case ColumnKind.String:
                    strings[c] = new string?[rows];
                    break;
            }
        }

        for (var r = 0; r < rows; r++)
        {
            var line = lines[r];
            CsvFields.SplitInto(line, fields);
            for (var c = 0; c < header.Length; c++)
            {
                if (plan[c] is null)
                {
                    continue;
                }

                var span = c < fields.Count ? line.AsSpan(fields[c]) : ReadOnlySpan<char>.Empty;
                var quoted = span.Length > 0 && span[0] == '"';
                switch (plan[c])
                {
                    case ColumnKind.Double when !quoted:
                        // An empty or non-numeric field is a missing value (NaN) rather than an error, as pandas reads it.
                        doubles[c][r] = double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
                        break;
                    case ColumnKind.Double:
                        doubles[c][r] = double.TryParse(CsvFields.Unquote(span), NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : double.NaN;
                        break;
                    case ColumnKind.Bool:
                        bools[c][r] = bool.TryParse(CsvFields.Unquote(span), out var b) ? b : span is "1";
                        break;
                    default:
                        strings[c][r] = span.Length == 0 ? null : CsvFields.Unquote(span);
                        break;
                }
            }
        }

        var columns = new List<BatchColumn>();
        for (var c = 0; c < header.Length; c++)
        {
            if (doubles[c] is { } d)
            {
                columns.Add(BatchColumn.Of(header[c], d));
            }
            else if (bools[c] is { } b)
            {
                columns.Add(BatchColumn.Of(header[c], b));
            }
            else if (strings[c] is { } s)
            {
                columns.Add(InferNumeric(header[c], s));
            }
        }

        return new ColumnBatch(columns);
    }

    /// <summary>For a model without declared columns, a column whose every value is a number is numeric.</summary>
    private static BatchColumn InferNumeric(string name, string?[] values)
    {
        var parsed = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                parsed[i] = double.NaN;
            }
            else if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[i]))
            {
                return BatchColumn.Of(name, values);
            }
        }

        return BatchColumn.Of(name, parsed);
    }

    private static void AppendValue(StringBuilder sb, BatchColumn column, int row)
    {
        switch (column.Data)
        {
            case float[] f:
                sb.Append(f[row].ToString("R", CultureInfo.InvariantCulture));
                break;
            case double[] d:
                sb.Append(d[row].ToString("R", CultureInfo.InvariantCulture));
                break;
            case long[] l:
                sb.Append(l[row]);
                break;
            case bool[] b:
                sb.Append(b[row] ? "True" : "False");
                break;
            case string?[] s:
                sb.Append(CsvFields.Quote(s[row] ?? string.Empty));
                break;
        }
    }

    /// <summary>Reads one record; a quoted field may span lines, so lines are joined until quotes balance.</summary>
    /// <summary>Data rows of a CSV file (records after the header; blank lines are not rows), as scoring counts them.</summary>
    public static async Task<long> CountRowsAsync(string inputPath, CancellationToken ct)
    {
        using var reader = new StreamReader(inputPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        if (await ReadRecordAsync(reader, ct).ConfigureAwait(false) is null)
        {
            return 0;
        }

        long rows = 0;
        while (await ReadRecordAsync(reader, ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                rows++;
            }
        }

        return rows;
    }

    private static async Task<string?> ReadRecordAsync(StreamReader reader, CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (line is null || !line.Contains('"', StringComparison.Ordinal))
        {
            return line;
        }

        while (line.Count(ch => ch == '"') % 2 == 1 && await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } next)
        {
            line = line + "\n" + next;
        }

        return line;
    }
}
