using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Cli.Commands.Endpoints;

/// <summary>Parses a hold such as <c>90</c> (seconds), <c>30s</c>, <c>5m</c> or <c>1h</c>.</summary>
internal static class HoldParser
{
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim();
        var unit = t.Length > 0 && char.IsAsciiLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsAsciiLetter(t.Length > 0 ? t[^1] : '0') ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw KeelException.InvalidParameter($"Invalid --hold '{text}': expected a duration such as 30s, 5m or 1h.");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw KeelException.InvalidParameter($"Invalid --hold '{text}': the unit must be s, m or h."),
        };
    }

    public static int[] ParseSteps(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw KeelException.InvalidParameter($"Invalid --steps '{text}': expected percentages such as 10,50,100."))];
}
