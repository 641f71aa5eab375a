using Keel.Core.Errors;

namespace Keel.ML.Data;

/// <summary>
/// One named, typed column of a <see cref="ColumnBatch"/>. A column may hold a fixed-size vector
/// per row (a tensor of shape [-1, Width]); its data is then row-major and Width times longer.
/// </summary>
public sealed class BatchColumn
{
    private BatchColumn(string name, ColumnKind kind, Array data, int width)
    {
        if (width < 1 || data.Length % width != 0)
        {
            throw KeelException.InvalidParameter($"Column '{name}' has {data.Length} values, not a multiple of its width {width}.");
        }

        Name = name;
        Kind = kind;
        Data = data;
        Width = width;
    }

    /// <summary>Column name ("" for an unnamed tensor).</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public ColumnKind Kind { get; }

    /// <summary>The values: double[], float[], long[], string?[] or bool[] according to <see cref="Kind"/>.</summary>
    public Array Data { get; }

    /// <summary>Values per row; 1 for a plain column.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Data.Length / Width;

    /// <summary>Creates a double column (or a [-1, width] tensor).</summary>
    public static BatchColumn Of(string name, double[] values, int width = 1) => new(name, ColumnKind.Double, values, width);

    /// <summary>Creates a float column (or a [-1, width] tensor).</summary>
    public static BatchColumn Of(string name, float[] values, int width = 1) => new(name, ColumnKind.Float, values, width);

    /// <summary>Creates a long column (or a [-1, width] tensor).</summary>
    public static BatchColumn Of(string name, long[] values, int width = 1) => new(name, ColumnKind.Long, values, width);

    /// <summary>Creates a string column.</summary>
    public static BatchColumn Of(string name, string?[] values, int width = 1) => new(name, ColumnKind.String, values, width);

    /// <summary>Creates a bool column.</summary>
    public static BatchColumn Of(string name, bool[] values, int width = 1) => new(name, ColumnKind.Bool, values, width);

    /// <summary>The value at a flat index, boxed; for output writers, not hot loops.</summary>
    public object? GetValue(int index) => Data.GetValue(index);

    /// <summary>Returns the same data under another name.</summary>
    public BatchColumn Rename(string name) => new(name, Kind, Data, Width);
}
