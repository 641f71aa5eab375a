using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Application.Monitoring;

/// <summary>Range bounds as users write them (ISO-8601 or Unix milliseconds), window alignment and lengths as text.</summary>
public static class WindowLength
{
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

    /// <summary>The start of the window of <paramref name="seconds"/> holding <paramref name="time"/>, aligned to the Unix epoch.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, int seconds)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var size = seconds * 1000L;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % size) + size) % size));
    }

    /// <summary>A length in seconds as its largest whole unit: 1d, 1h, 5m or 30s.</summary>
    public static string Format(int seconds) =>
        seconds % 86_400 == 0 ? $"{seconds / 86_400}d"
        : seconds % 3_600 == 0 ? $"{seconds / 3_600}h"
        : seconds % 60 == 0 ? $"{seconds / 60}m"
        : $"{seconds}s";
}
