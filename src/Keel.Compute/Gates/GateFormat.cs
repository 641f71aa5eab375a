using System.Globalization;

namespace Keel.Compute.Gates;

/// <summary>Numbers in report reasons: invariant culture, short enough to read.</summary>
internal static class GateFormat
{
    public static string V(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string P(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    public static string Signed(double value) => (value >= 0 ? "+" : string.Empty) + V(value);
}
