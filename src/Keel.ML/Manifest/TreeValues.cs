using System.Globalization;

namespace Keel.ML.Manifest;

/// <summary>Typed reads from a YAML tree where every scalar arrived as a string.</summary>
internal static class TreeValues
{
    public static string? Str(this IReadOnlyDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) ? v as string : null;

    public static long? Long(this IReadOnlyDictionary<string, object?> map, string key) =>
        long.TryParse(map.Str(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static IReadOnlyDictionary<string, object?>? Map(this IReadOnlyDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) ? v as IReadOnlyDictionary<string, object?> : null;

    public static IReadOnlyList<string> StrList(this IReadOnlyDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is IEnumerable<object?> list ? [.. list.Select(x => x?.ToString() ?? string.Empty)] : [];

    public static IReadOnlyDictionary<string, double> DoubleMap(this IReadOnlyDictionary<string, object?> map, string key)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (map.Map(key) is { } m)
        {
            foreach (var (k, v) in m)
            {
                if (double.TryParse(v as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    result[k] = d;
                }
            }
        }

        return result;
    }

    public static IReadOnlyDictionary<string, string> StrMap(this IReadOnlyDictionary<string, object?> map, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Map(key) is { } m)
        {
            foreach (var (k, v) in m)
            {
                result[k] = v?.ToString() ?? string.Empty;
            }
        }

        return result;
    }

    public static Dictionary<string, object?> ToTree(this IReadOnlyDictionary<string, double> values) =>
        values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);

    public static Dictionary<string, object?> ToTree(this IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
}
