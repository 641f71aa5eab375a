using Keel.Core.Errors;
using Keel.ML.Data;
using Parquet;
using Parquet.Schema;

namespace Keel.ML.Batch;

/// <summary>Typed Parquet column reads and writes, and conversions to batch columns.</summary>
internal static class ParquetColumns
{
    public static async Task<Array> ReadAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(string))
        {
            var s = new string?[rows];
            await group.ReadAsync(field, s.AsMemory(), null, ct).ConfigureAwait(false);
            return s;
        }

        return t switch
        {
            _ when t == typeof(double) => await Read<double>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(float) => await Read<float>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(long) => await Read<long>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(int) => await Read<int>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(short) => await Read<short>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(bool) => await Read<bool>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(DateTime) => await Read<DateTime>(group, field, rows, ct).ConfigureAwait(false),
            _ when t == typeof(decimal) => await Read<decimal>(group, field, rows, ct).ConfigureAwait(false),
            _ => throw KeelException.InvalidParameter($"Parquet column '{field.Name}' has type {t.Name}, which batch prediction does not carry."),
        };
    }

    public static Task WriteAsync(ParquetRowGroupWriter group, DataField field, Array data, CancellationToken ct) => data switch
    {
        string?[] s => group.WriteAsync(field, s!, null),
        double[] a => group.WriteAsync(field, (ReadOnlyMemory<double>)a, null, null, ct),
        double?[] a => group.WriteAsync(field, (ReadOnlyMemory<double?>)a, null, null, ct),
        float[] a => group.WriteAsync(field, (ReadOnlyMemory<float>)a, null, null, ct),
        float?[] a => group.WriteAsync(field, (ReadOnlyMemory<float?>)a, null, null, ct),
        long[] a => group.WriteAsync(field, (ReadOnlyMemory<long>)a, null, null, ct),
        long?[] a => group.WriteAsync(field, (ReadOnlyMemory<long?>)a, null, null, ct),
        int[] a => group.WriteAsync(field, (ReadOnlyMemory<int>)a, null, null, ct),
        int?[] a => group.WriteAsync(field, (ReadOnlyMemory<int?>)a, null, null, ct),
        short[] a => group.WriteAsync(field, (ReadOnlyMemory<short>)a, null, null, ct),
        short?[] a => group.WriteAsync(field, (ReadOnlyMemory<short?>)a, null, null, ct),
        bool[] a => group.WriteAsync(field, (ReadOnlyMemory<bool>)a, null, null, ct),
        bool?[] a => group.WriteAsync(field, (ReadOnlyMemory<bool?>)a, null, null, ct),
        DateTime[] a => group.WriteAsync(field, (ReadOnlyMemory<DateTime>)a, null, null, ct),
        DateTime?[] a => group.WriteAsync(field, (ReadOnlyMemory<DateTime?>)a, null, null, ct),
        decimal[] a => group.WriteAsync(field, (ReadOnlyMemory<decimal>)a, null, null, ct),
        decimal?[] a => group.WriteAsync(field, (ReadOnlyMemory<decimal?>)a, null, null, ct),
        _ => throw new KeelException($"Cannot write a {data.GetType().Name} to Parquet column '{field.Name}'."),
    };

    /// <summary>The output field for a prediction column.</summary>
    public static DataField FieldFor(BatchColumn column) => column.Kind switch
    {
        ColumnKind.Double => new DataField<double>(column.Name),
        ColumnKind.Float => new DataField<float>(column.Name),
        ColumnKind.Long => new DataField<long>(column.Name),
        ColumnKind.Bool => new DataField<bool>(column.Name),
        _ => new DataField<string>(column.Name),
    };

    /// <summary>A read column as a batch column: nullable numbers become NaN-filled doubles, other types strings.</summary>
    public static BatchColumn ToBatchColumn(DataField field, Array data) => data switch
    {
        double[] d => BatchColumn.Of(field.Name, d),
        float[] f => BatchColumn.Of(field.Name, f),
        long[] l => BatchColumn.Of(field.Name, l),
        int[] i => BatchColumn.Of(field.Name, Array.ConvertAll(i, x => (long)x)),
        short[] s => BatchColumn.Of(field.Name, Array.ConvertAll(s, x => (long)x)),
        bool[] b => BatchColumn.Of(field.Name, b),
        string?[] s => BatchColumn.Of(field.Name, s),
        double?[] d => BatchColumn.Of(field.Name, Array.ConvertAll(d, x => x ?? double.NaN)),
        float?[] f => BatchColumn.Of(field.Name, Array.ConvertAll(f, x => x ?? float.NaN)),
        long?[] l => BatchColumn.Of(field.Name, Array.ConvertAll(l, x => x.HasValue ? (double)x.Value : double.NaN)),
        int?[] i => BatchColumn.Of(field.Name, Array.ConvertAll(i, x => x.HasValue ? (double)x.Value : double.NaN)),
        _ => BatchColumn.Of(field.Name, ToStrings(data)),
    };

    private static string?[] ToStrings(Array data)
    {
        var r = new string?[data.Length];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = Convert.ToString(data.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        }

        return r;
    }

    private static async Task<Array> Read<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync(field, nullable.AsMemory(), null, ct).ConfigureAwait(false);
            return nullable;
        }

        var values = new T[rows];
        await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values;
    }
}
