using System.Text;

namespace Keel.Training;

/// <summary>
/// One streaming pass over a CSV file that profiles every column (numeric or not, distinct values,
/// missing count) so the loader can be typed without holding the file in memory. Handles quoted
/// fields with embedded separators and doubled quotes, as ML.NET's loader does with quoting on.
/// </summary>
internal static class CsvScanner
{
    public static (List<ColumnProfile> Columns, long Rows) Scan(string path, char separator, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, true, 1 << 16);
        var header = reader.ReadLine() ?? throw Core.Errors.KeelException.InvalidParameter($"Data file '{path}' is empty.");
        var names = Split(header, separator);
        var columns = names.Select((n, i) => new ColumnProfile(n.Trim(), i)).ToList();
        var duplicate = columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Core.Errors.KeelException.InvalidParameter($"Data file '{path}' has the column '{duplicate.Key}' twice.");
        }

        long rows = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if ((rows & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var fields = Split(line, separator);
            for (var i = 0; i < columns.Count; i++)
            {
                columns[i].Observe(i < fields.Count ? fields[i].Trim() : string.Empty);
            }

            rows++;
        }

        return (columns, rows);
    }

    public static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
