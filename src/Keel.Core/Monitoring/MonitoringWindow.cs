using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Core.Monitoring;

/// <summary>
/// The size of a monitoring window, written <c>5m</c>, <c>15m</c>, <c>1h</c>, <c>6h</c>, <c>1d</c>:
/// a whole number of minutes that divides a day (windows then line up with midnight UTC), or a
/// whole number of days up to a year. It prints in the largest unit that keeps it whole
/// (<c>60m</c> prints <c>1h</c>).
/// </summary>
public sealed record MonitoringWindow
{
    /// <summary>Minutes in a day.</summary>
    public const int MinutesPerDay = 1440;

    /// <summary>The longest window, in days.</summary>
    public const int MaxDays = 366;

    private const string Rule = "a window such as 5m, 15m, 1h, 6h or 1d: a whole number of minutes (m) or hours (h) that divides a day, or whole days (d) up to 366";

    private MonitoringWindow(int minutes) => Minutes = minutes;

    /// <summary>The window's length in minutes.</summary>
    public int Minutes { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Duration => TimeSpan.FromMinutes(Minutes);

    /// <summary>A window of this many minutes.</summary>
    /// <param name="minutes">Divides a day, or is whole days.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for any other length.</exception>
    public static MonitoringWindow FromMinutes(int minutes) =>
        IsValid(minutes) ? new MonitoringWindow(minutes) : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"A window of {minutes} minutes is invalid: it must be {Rule}."));

    /// <summary>Parses <c>5m</c>, <c>1h</c>, <c>1d</c> and the like.</summary>
    /// <param name="text">The window as written.</param>
    /// <param name="field">The field or option it came from, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the field and the rule.</exception>
    public static MonitoringWindow Parse(string? text, string field) =>
        TryParse(text, out var window) ? window : throw KeelException.InvalidParameter($"Invalid value '{text}' for '{field}': it must be {Rule}.");

    /// <summary>Parses a window; false for anything that breaks the rule.</summary>
    /// <param name="text">The window as written.</param>
    /// <param name="window">The window, when valid.</param>
    public static bool TryParse(string? text, out MonitoringWindow window)
    {
        window = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 8)
        {
            return false;
        }

        var unit = text[^1] switch { 'm' => 1, 'h' => 60, 'd' => MinutesPerDay, _ => 0 };
        if (unit == 0 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > MaxDays * MinutesPerDay / unit)
        {
            return false;
        }

        if (!IsValid(count * unit))
        {
            return false;
        }

        window = new MonitoringWindow(count * unit);
        return true;
    }

    /// <summary>The start of the window that contains <paramref name="time"/> (windows line up with the Unix epoch, so with midnight UTC).</summary>
    /// <param name="time">A moment.</param>
    public DateTimeOffset StartOf(DateTimeOffset time)
    {
        var size = (long)Minutes * 60_000;
        var ms = time.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % size) + size) % size));
    }

    /// <summary>The canonical text: <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public override string ToString() =>
        Minutes % MinutesPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Minutes / MinutesPerDay}d")
        : Minutes % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Minutes / 60}h")
        : string.Create(CultureInfo.InvariantCulture, $"{Minutes}m");

    private static bool IsValid(int minutes) =>
        minutes > 0 && (minutes < MinutesPerDay ? MinutesPerDay % minutes == 0 : minutes % MinutesPerDay == 0 && minutes <= MaxDays * MinutesPerDay);
}
