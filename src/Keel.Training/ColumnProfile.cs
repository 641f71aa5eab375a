namespace Keel.Training;

/// <summary>What one scan of the file learned about a column.</summary>
internal sealed class ColumnProfile(string name, int index)
{
    /// <summary>Distinct values kept per column; beyond this the column counts as high-cardinality.</summary>
    public const int DistinctCap = 2000;

    public string Name { get; } = name;

    public int Index { get; } = index;

    public bool AllNumeric { get; set; } = true;

    public long Missing { get; set; }

    public long TotalLength { get; set; }

    public long Spaces { get; set; }

    public HashSet<string> Distinct { get; } = new(StringComparer.Ordinal);

    public bool DistinctOverflow { get; set; }

    public ColumnRole Role { get; set; }

    public void Observe(string value)
    {
        if (value.Length == 0 || value is "NA" or "NaN" or "?")
        {
            Missing++;
            return;
        }

        if (AllNumeric && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            AllNumeric = false;
        }

        TotalLength += value.Length;
        foreach (var c in value)
        {
            Spaces += c == ' ' ? 1 : 0;
        }

        if (!DistinctOverflow)
        {
            Distinct.Add(value);
            DistinctOverflow = Distinct.Count > DistinctCap;
        }
    }
}
