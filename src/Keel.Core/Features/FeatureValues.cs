using System.Globalization;

namespace Keel.Core.Features;

/// <summary>
/// The one representation of feature values shared by offline retrieval, the online stores and
/// the REST answers, so that the two paths can be compared value for value: Int32/Int64 as
/// <see cref="long"/>, Float32/Float64 as <see cref="double"/>, String as <see cref="string"/>,
/// Bool as <see cref="bool"/>, UnixTimestamp as <see cref="long"/> Unix milliseconds (UTC); null as null.
/// </summary>
public static class FeatureValues
{
    /// <summary>Converts a value read from a table, JSON or a store to the shared representation of <paramref name="dtype"/>; null when it cannot be.</summary>
    public static object? Normalize(object? value, FeatureDtype dtype)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        switch (dtype)
        {
            case FeatureDtype.Int32:
            case FeatureDtype.Int64:
                return value switch
                {
                    long l => l,
                    int i => (long)i,
                    short s => (long)s,
                    sbyte b => (long)b,
                    byte b => (long)b,
                    ushort u => (long)u,
                    uint u => (long)u,
                    ulong u => (long)u,
                    double d when !double.IsNaN(d) && !double.IsInfinity(d) => (long)Math.Round(d),
                    float f when !float.IsNaN(f) && !float.IsInfinity(f) => (long)Math.Round(f),
                    decimal m => (long)Math.Round(m),
                    bool b => b ? 1L : 0L,
                    string t when long.TryParse(t, NumberStyles.Integer, inv, out var l) => l,
                    _ => null,
                };
            case FeatureDtype.Float32:
            case FeatureDtype.Float64:
                var number = value switch
                {
                    double d => d,
                    float f => f,
                    long l => l,
                    int i => i,
                    short s => s,
                    decimal m => (double)m,
                    bool b => b ? 1.0 : 0.0,
                    string t when double.TryParse(t, NumberStyles.Float, inv, out var d) => d,
                    _ => (double?)null,
                };
                return number is double x && dtype == FeatureDtype.Float32 ? (double)(float)x : number;
            case FeatureDtype.String:
                return value switch
                {
                    string t => t,
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, inv),
                    _ => value.ToString(),
                };
            case FeatureDtype.Bool:
                return value switch
                {
                    bool b => b,
                    long l => l != 0,
                    int i => i != 0,
                    double d => d != 0,
                    string t when bool.TryParse(t, out var b) => b,
                    string t when t is "1" or "0" => t == "1",
                    _ => null,
                };
            case FeatureDtype.UnixTimestamp:
                return value switch
                {
                    DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()).ToUnixTimeMilliseconds(),
                    DateTimeOffset t => t.ToUnixTimeMilliseconds(),
                    long l => l,
                    int i => (long)i,
                    double d => (long)d,
                    string t when DateTimeOffset.TryParse(t, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var o) => o.ToUnixTimeMilliseconds(),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>Parses a Feast dtype name (<c>Int64</c>, <c>float64</c>, ...), case-insensitively; null when unknown.</summary>
    public static FeatureDtype? ParseDtype(string? name) =>
        Enum.TryParse<FeatureDtype>(name, ignoreCase: true, out var dtype) && Enum.IsDefined(dtype) && !int.TryParse(name, out _) ? dtype : null;
}
