using System.Globalization;
using System.Text.RegularExpressions;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// The Kubernetes resource quantities users write for CPU and memory. Stricter than the API server
/// (no exponents, no milli-bytes) so a typo such as <c>512mb</c> is refused here, not by kubectl.
/// </summary>
internal static partial class Quantities
{
    /// <summary>Millicores of a CPU quantity (<c>250m</c>, <c>1</c>, <c>1.5</c>), or null when it is not one.</summary>
    public static decimal? CpuMillis(string value)
    {
        var match = CpuPattern().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var number = decimal.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["m"].Success ? number : number * 1000m;
    }

    /// <summary>Bytes of a memory quantity (<c>512Mi</c>, <c>1G</c>, <c>1.5Gi</c>), or null when it is not one.</summary>
    public static decimal? MemoryBytes(string value)
    {
        var match = MemoryPattern().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var number = decimal.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var factor = match.Groups["u"].Value switch
        {
            "" => 1m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            "E" => 1e18m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            _ => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
        };
        return number * factor;
    }

    [GeneratedRegex(@"^(?<n>[0-9]{1,9}(\.[0-9]{1,3})?)(?<m>m)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CpuPattern();

    [GeneratedRegex(@"^(?<n>[0-9]{1,12}(\.[0-9]{1,6})?)(?<u>Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryPattern();
}
