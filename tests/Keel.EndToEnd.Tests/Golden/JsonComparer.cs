using System.Text.Json;

namespace Keel.EndToEnd.Tests.Golden;

/// <summary>
/// Structural JSON comparison for the replay: numbers by value, object key order ignored, array
/// order kept. Server-clock fields cannot equal the recording's values; they are checked for what a
/// client relies on instead: present, an integer count of milliseconds since the epoch, within a
/// plausible range, and an update never before its creation. Returns the first difference found.
/// </summary>
public static class JsonComparer
{
    // Set by the server's clock, so never equal to the recording's. Client-supplied times
    // (start_time, end_time, a metric's timestamp) are echoed and compared exactly.
    private static readonly HashSet<string> ClockFields = new(StringComparer.Ordinal)
    {
        "creation_time", "last_update_time", "creation_timestamp", "last_updated_timestamp",
    };

    private static readonly (string Created, string Updated)[] ClockPairs =
    [
        ("creation_time", "last_update_time"),
        ("creation_timestamp", "last_updated_timestamp"),
    ];

    // Keel was written in 2025: an earlier server time is a unit or epoch mistake (seconds, not millis).
    private static readonly long EarliestMillis = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

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
                        var clock = CheckClock(actual.GetProperty(p.Name), $"{path}.{p.Name}");
                        if (clock is not null)
                        {
                            return clock;
                        }

                        continue;
                    }

                    var d = Diff(p.Value, actual.GetProperty(p.Name), $"{path}.{p.Name}");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return CheckClockOrder(actual, path);
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

    /// <summary>An integer number of milliseconds since the epoch, not before 2020 and not in the future.</summary>
    private static string? CheckClock(JsonElement value, string path)
    {
        var raw = value.GetRawText();
        if (value.ValueKind != JsonValueKind.Number || !raw.All(char.IsAsciiDigit) || !value.TryGetInt64(out var millis))
        {
            return $"{path}: expected integer epoch milliseconds, got {value.ValueKind} {raw}";
        }

        // A day of slack for the clock of a machine the server runs on; a test never waits that long.
        var latest = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        return millis >= EarliestMillis && millis <= latest
            ? null
            : $"{path}: {millis} is not a plausible server time in epoch milliseconds (between {EarliestMillis} and {latest})";
    }

    private static string? CheckClockOrder(JsonElement obj, string path)
    {
        foreach (var (created, updated) in ClockPairs)
        {
            if (obj.TryGetProperty(created, out var c) && obj.TryGetProperty(updated, out var u)
                && c.TryGetInt64(out var cm) && u.TryGetInt64(out var um) && um < cm)
            {
                return $"{path}: {updated} {um} is before {created} {cm}";
            }
        }

        return null;
    }
}
