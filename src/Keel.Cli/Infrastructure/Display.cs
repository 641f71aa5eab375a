using System.Globalization;

namespace Keel.Cli.Infrastructure;

/// <summary>Formatting shared by the table views.</summary>
internal static class Display
{
    public static string Time(long? unixMs) =>
        unixMs is null or 0 ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs.Value).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(long start, long? end)
    {
        if (end is null || end < start)
        {
            return "-";
        }

        var span = TimeSpan.FromMilliseconds(end.Value - start);
        return span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.TotalMinutes >= 1 ? span.ToString(@"m\:ss", CultureInfo.InvariantCulture) + " min"
            : span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    }

    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("G6", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A size for people: 512 B, 4.2 KiB, 1.0 GiB.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? bytes.ToString(CultureInfo.InvariantCulture) + " B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
