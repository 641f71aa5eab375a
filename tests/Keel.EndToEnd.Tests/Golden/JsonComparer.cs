using System.Text.Json;

namespace Keel.EndToEnd.Tests.Golden;

/// <summary>
/// Structural JSON comparison for the replay: numbers by value, object key order ignored, array
/// order kept; server-clock fields compared for type only. Returns the first difference found.
/// </summary>
public static class JsonComparer
{
    private static readonly HashSet<string> ClockFields = new(StringComparer.Ordinal)
    {
        "creation_time", "last_update_time", "creation_timestamp", "last_updated_timestamp",
    };

    public static string? Diff(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {expected.GetRawText()}, got {actual.ValueKind} {actual.GetRawText()}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var missing = expectedNames.Except(actualNames).ToList();
                var extra = actualNames.Except(expectedNames).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    return $"{path}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]";
                }

                foreach (var p in expected.EnumerateObject())
                {
                    if (ClockFields.Contains(p.Name))
                    {
                        continue;
                    }

                    var d = Diff(p.Value, actual.GetProperty(p.Name), $"{path}.{p.Name}");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToList();
                var a = actual.EnumerateArray().ToList();
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} items, got {a.Count}: {actual.GetRawText()}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    var d = Diff(e[i], a[i], $"{path}[{i}]");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return expected.GetDouble().Equals(actual.GetDouble()) ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected \"{expected.GetString()}\", got \"{actual.GetString()}\"";
            default:
                return null;
        }
    }
}
