using System.Text.Json;
using Keel.ML.Data;

namespace Keel.Serving;

/// <summary>Writes a column's values as a flat JSON array (NaN and missing as null, as pandas does).</summary>
internal static class JsonValues
{
    public static void WriteArray(Utf8JsonWriter w, BatchColumn c)
    {
        w.WriteStartArray();
        switch (c.Data)
        {
            case double[] d:
                foreach (var v in d)
                {
                    if (double.IsFinite(v))
                    {
                        w.WriteNumberValue(v);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                break;
            case float[] f:
                foreach (var v in f)
                {
                    if (float.IsFinite(v))
                    {
                        w.WriteNumberValue(v);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                break;
            case long[] l:
                foreach (var v in l)
                {
                    w.WriteNumberValue(v);
                }

                break;
            case bool[] b:
                foreach (var v in b)
                {
                    w.WriteBooleanValue(v);
                }

                break;
            case string?[] s:
                foreach (var v in s)
                {
                    if (v is null)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteStringValue(v);
                    }
                }

                break;
        }

        w.WriteEndArray();
    }

    /// <summary>The V2 datatype of a column kind.</summary>
    public static string Datatype(ColumnKind kind) => kind switch
    {
        ColumnKind.Double => "FP64",
        ColumnKind.Float => "FP32",
        ColumnKind.Long => "INT64",
        ColumnKind.Bool => "BOOL",
        _ => "BYTES",
    };

    /// <summary>The first value of a row as a double (for prediction distributions); NaN when not numeric.</summary>
    public static double AsDouble(BatchColumn c, int row) => c.Data switch
    {
        double[] d => d[row * c.Width],
        float[] f => f[row * c.Width],
        long[] l => l[row * c.Width],
        bool[] b => b[row * c.Width] ? 1 : 0,
        string?[] s => s[row * c.Width] is { } text ? text.GetHashCode(StringComparison.Ordinal) % 1000 : double.NaN,
        _ => double.NaN,
    };
}
