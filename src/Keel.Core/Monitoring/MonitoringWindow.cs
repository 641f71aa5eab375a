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

    /// <summary>Seconds in a day.</summary>
    public const int SecondsPerDay = 86_400;

    private const string Rule = "a window such as 30s, 5m, 15m, 1h, 6h or 1d: a whole number of seconds (s), minutes (m) or hours (h) that divides a day, or whole days (d) up to 366";

    private MonitoringWindow(int seconds) => Seconds = seconds;

    /// <summary>The window's length in minutes.</summary>
    public int Seconds { get; }

    /// <summary>The length in whole minutes (0 for windows under a minute).</summary>
    public int Minutes => Seconds / 60;

    /// <summary>The window's length.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>A window of this many minutes.</summary>
    /// <param name="minutes">Divides a day, or is whole days.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for any other length.</exception>
    public static MonitoringWindow FromMinutes(int minutes) =>
        IsValid(minutes * 60L) ? new MonitoringWindow(minutes * 60) : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"A window of {minutes} minutes is invalid: it must be {Rule}."));

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

        var unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3_600, 'd' => SecondsPerDay, _ => 0 };
        if (unit == 0 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > (long)MaxDays * SecondsPerDay / unit)
        {
            return false;
        }

        if (!IsValid((long)count * unit))
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
        var size = Seconds * 1_000L;
        var ms = time.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % size) + size) % size));
    }

    /// <summary>The canonical text: <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public override string ToString() =>
        Seconds % SecondsPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Seconds / SecondsPerDay}d")
        : Seconds % 3_600 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Seconds / 3_600}h")
        : Seconds % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Seconds / 60}m")
        : string.Create(CultureInfo.InvariantCulture, $"{Seconds}s");

    private static bool IsValid(long seconds) =>
        seconds > 0 && (seconds < SecondsPerDay ? SecondsPerDay % seconds == 0 : seconds % SecondsPerDay == 0 && seconds <= (long)MaxDays * SecondsPerDay);
}
