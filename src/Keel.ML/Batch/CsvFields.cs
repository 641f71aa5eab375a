namespace Keel.ML.Batch;

/// <summary>RFC 4180 field splitting and quoting over spans.</summary>
public static class CsvFields
{
    public static List<string> Split(string line)
    {
        var ranges = new List<Range>();
        SplitInto(line, ranges);
        return [.. ranges.Select(r => Unquote(line.AsSpan(r)))];
    }

    /// <summary>Fills <paramref name="ranges"/> with the field ranges of a record, quotes included.</summary>
    public static void SplitInto(string line, List<Range> ranges)
    {
        ranges.Clear();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (ch == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (ch == ',' && !inQuotes)
            {
                ranges.Add(new Range(start, i));
                start = i + 1;
            }
        }

        ranges.Add(new Range(start, line.Length));
    }

    public static string Unquote(ReadOnlySpan<char> field)
    {
        if (field.Length >= 2 && field[0] == '"' && field[^1] == '"')
        {
            return field[1..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return field.ToString();
    }

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
