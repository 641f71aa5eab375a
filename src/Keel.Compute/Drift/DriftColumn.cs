namespace Keel.Compute.Drift;

/// <summary>
/// One column's raw reference and current values. Numeric values are doubles with NaN (and ±∞,
/// as Evidently replaces them) meaning missing; categorical values are strings with null meaning
/// missing. Missing values are dropped before any test, as Evidently drops nulls.
/// </summary>
public sealed class DriftColumn
{
    private DriftColumn(string name, DriftColumnType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Numeric or categorical.</summary>
    public DriftColumnType Type { get; }

    /// <summary>Reference values of a numeric column.</summary>
    public ReadOnlyMemory<double> NumericReference { get; private init; }

    /// <summary>Current values of a numeric column.</summary>
    public ReadOnlyMemory<double> NumericCurrent { get; private init; }

    /// <summary>Reference values of a categorical column.</summary>
    public IReadOnlyList<string?> CategoricalReference { get; private init; } = [];

    /// <summary>Current values of a categorical column.</summary>
    public IReadOnlyList<string?> CategoricalCurrent { get; private init; } = [];

    /// <summary>A numeric column.</summary>
    public static DriftColumn Numeric(string name, ReadOnlyMemory<double> reference, ReadOnlyMemory<double> current) =>
        new(name, DriftColumnType.Numerical) { NumericReference = reference, NumericCurrent = current };

    /// <summary>A categorical column.</summary>
    public static DriftColumn Categorical(string name, IReadOnlyList<string?> reference, IReadOnlyList<string?> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return new(name, DriftColumnType.Categorical) { CategoricalReference = reference, CategoricalCurrent = current };
    }
}
