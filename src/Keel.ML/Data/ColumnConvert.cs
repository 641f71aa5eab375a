using System.Globalization;
using Keel.Core.Errors;

namespace Keel.ML.Data;

/// <summary>
/// Converts a column to the element type a model needs. A string that does not parse is an
/// invalid-parameter error naming the column, the error a user can act on.
/// </summary>
internal static class ColumnConvert
{
    public static float[] ToFloat(BatchColumn c)
    {
        switch (c.Data)
        {
            case float[] f:
                return f;
            case double[] d:
            {
                var r = new float[d.Length];
                for (var i = 0; i < d.Length; i++)
                {
                    r[i] = (float)d[i];
                }

                return r;
            }

            default:
                var doubles = ToDouble(c);
                return ToFloat(BatchColumn.Of(c.Name, doubles, c.Width));
        }
    }

    public static double[] ToDouble(BatchColumn c)
    {
        switch (c.Data)
        {
            case double[] d:
                return d;
            case float[] f:
                return Array.ConvertAll(f, x => (double)x);
            case long[] l:
                return Array.ConvertAll(l, x => (double)x);
            case bool[]:
                // true is not 1.0: a boolean where the model wants a number is a mistake to report.
                throw KeelException.InvalidParameter($"Column '{c.Name}' must be numeric, but holds booleans.");
            case string?[] s:
            {
                var r = new double[s.Length];
                for (var i = 0; i < s.Length; i++)
                {
                    if (s[i] is null)
                    {
                        throw KeelException.InvalidParameter(
                            $"Column '{c.Name}' must be numeric, but row {i / c.Width} is null (send the string \"NaN\" for a missing number).");
                    }

                    // "1e400" overflows to infinity; only a spelled-out "Infinity" means it.
                    if (!double.TryParse(s[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i])
                        || (double.IsInfinity(r[i]) && s[i]!.Any(char.IsAsciiDigit)))
                    {
                        throw KeelException.InvalidParameter($"Column '{c.Name}' must be numeric, but row {i / c.Width} holds '{s[i]}'.");
                    }
                }

                return r;
            }

            default:
                throw KeelException.InvalidParameter($"Column '{c.Name}' has an unsupported type.");
        }
    }

    public static long[] ToLong(BatchColumn c)
    {
        if (c.Data is long[] l)
        {
            return l;
        }

        var d = ToDouble(c);
        var r = new long[d.Length];
        for (var i = 0; i < d.Length; i++)
        {
            if (d[i] != Math.Floor(d[i]) || double.IsNaN(d[i]))
            {
                throw KeelException.InvalidParameter($"Column '{c.Name}' must be integer, but row {i / c.Width} holds {d[i].ToString(CultureInfo.InvariantCulture)}.");
            }

            r[i] = (long)d[i];
        }

        return r;
    }

    public static bool[] ToBool(BatchColumn c)
    {
        switch (c.Data)
        {
            case bool[] b:
                return b;
            case string?[] s:
                return Array.ConvertAll(s, x => x is not null && bool.TryParse(x, out var v) ? v
                    : x is "1" ? true
                    : x is "0" ? false
                    : throw KeelException.InvalidParameter($"Column '{c.Name}' must be boolean, but holds '{x}'."));
            default:
                return Array.ConvertAll(ToDouble(c), x => x != 0);
        }
    }

    public static string?[] ToStrings(BatchColumn c)
    {
        if (c.Data is string?[] s)
        {
            return s;
        }

        var r = new string?[c.Data.Length];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = Convert.ToString(c.Data.GetValue(i), CultureInfo.InvariantCulture);
        }

        return r;
    }

    /// <summary>The column kind for an MLflow column type.</summary>
    public static ColumnKind KindOf(string mlflowType) => mlflowType switch
    {
        "double" => ColumnKind.Double,
        "float" => ColumnKind.Float,
        "long" or "integer" => ColumnKind.Long,
        "boolean" => ColumnKind.Bool,
        _ => ColumnKind.String,
    };

    /// <summary>Converts a column to a kind.</summary>
    public static BatchColumn To(BatchColumn c, ColumnKind kind) => kind == c.Kind ? c : kind switch
    {
        ColumnKind.Double => BatchColumn.Of(c.Name, ToDouble(c), c.Width),
        ColumnKind.Float => BatchColumn.Of(c.Name, ToFloat(c), c.Width),
        ColumnKind.Long => BatchColumn.Of(c.Name, ToLong(c), c.Width),
        ColumnKind.Bool => BatchColumn.Of(c.Name, ToBool(c), c.Width),
        _ => BatchColumn.Of(c.Name, ToStrings(c), c.Width),
    };
}
