using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Keel.Data.Tables;

/// <summary>Turns values read from DuckDB into JSON the way Great Expectations serializes them.</summary>
internal static class JsonValues
{
    public static JsonNode? From(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? JsonValue.Create((long)big) : JsonValue.Create(big.ToString(CultureInfo.InvariantCulture)),
        float f => Finite(f),
        double d => Finite(d),
        decimal m => JsonValue.Create(m),
        DateTime dt => JsonValue.Create(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        DateTimeOffset dto => JsonValue.Create(dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => JsonValue.Create(t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        Guid g => JsonValue.Create(g.ToString()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        IDictionary dict => FromDictionary(dict),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(From).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    public static double? ToDouble(object? value) => value switch
    {
        null => null,
        double d => d,
        float f => f,
        decimal m => (double)m,
        BigInteger big => (double)big,
        bool b => b ? 1 : 0,
        IConvertible c when value is not string => c.ToDouble(CultureInfo.InvariantCulture),
        _ => null,
    };

    public static long ToLong(object? value) => value switch
    {
        null => 0,
        BigInteger big => (long)big,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static JsonNode? Finite(double d) => double.IsFinite(d) ? JsonValue.Create(d) : null;

    private static JsonObject FromDictionary(IDictionary dict)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dict)
        {
            obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = From(entry.Value);
        }

        return obj;
    }
}
