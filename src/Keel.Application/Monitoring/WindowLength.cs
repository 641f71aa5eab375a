using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Application.Monitoring;

/// <summary>Window lengths as users write them (<c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>) and range bounds (ISO-8601 or Unix milliseconds).</summary>
internal static class WindowLength
{
    /// <summary>Seconds in a window such as <c>5m</c>; INVALID_PARAMETER_VALUE naming <paramref name="field"/> otherwise.</summary>
    public static int Seconds(string text, string field)
    {
        var unit = text.Length > 1 ? text[^1] : '\0';
        var scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3_600, 'd' => 86_400, _ => 0 };
        if (scale == 0 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || (long)n * scale > 366L * 86_400)
        {
            throw KeelException.InvalidParameter($"Invalid {field} '{text}': use a whole number and a unit, s, m, h or d (e.g. 5m, 1h, 1d), of at most 366 days.");
        }

        return n * scale;
    }

    /// <summary>A time given as ISO-8601 or Unix milliseconds.</summary>
    public static DateTimeOffset Time(string text, string field)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 253_402_300_799_999)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw KeelException.InvalidParameter($"Invalid {field} '{text}': use an ISO-8601 time (2026-12-02T10:00:00Z) or Unix milliseconds.");
    }

    public static DateTimeOffset Floor(DateTimeOffset time, int seconds)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var size = seconds * 1000L;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % size) + size) % size));
    }

    public static string Format(int seconds) =>
        seconds % 86_400 == 0 ? $"{seconds / 86_400}d"
        : seconds % 3_600 == 0 ? $"{seconds / 3_600}h"
        : seconds % 60 == 0 ? $"{seconds / 60}m"
        : $"{seconds}s";
}
