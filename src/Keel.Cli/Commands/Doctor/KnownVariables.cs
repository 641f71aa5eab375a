using System.Reflection;
using Keel.Core.Configuration;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// Every KEEL_* variable Keel reads: the registry of user settings (<see cref="KeelEnvironment.Known"/>),
/// the names <see cref="KeelEnvironment"/> declares (found by reflection, so a new declaration is
/// known here without an edit), and those the pipeline runner sets for a step's own process.
/// </summary>
internal static class KnownVariables
{
    public const string Prefix = "KEEL_";

    // Set by the pipeline runner for a step's own process; not settings, so not in the registry.
    private static readonly string[] SetForSteps = ["KEEL_PIPELINE", "KEEL_PIPELINE_RUN_ID", "KEEL_STEP", "KEEL_ATTEMPT"];

    // Families: a step's inputs and outputs (KEEL_INPUT_<NAME>), and the test suite's services.
    private static readonly string[] Prefixes = ["KEEL_INPUT_", "KEEL_OUTPUT_", "KEEL_TEST_"];

    public static IReadOnlySet<string> All { get; } = typeof(KeelEnvironment)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Concat(KeelEnvironment.Known.Select(v => v.Name))
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .Concat(SetForSteps)
        .ToHashSet(StringComparer.Ordinal);

    public static bool IsKnown(string name) =>
        All.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length);

    /// <summary>The known variable nearest to <paramref name="name"/> when it is plausibly a typo of it, else null.</summary>
    public static string? Suggest(string name) => Keel.Cli.Infrastructure.DidYouMean.Nearest(name, All);
}
