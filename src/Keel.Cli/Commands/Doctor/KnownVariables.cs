using System.Reflection;
using Keel.Core.Configuration;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// Every KEEL_* variable Keel reads: the ones <see cref="KeelEnvironment"/> declares (found by
/// reflection, so a new declaration is known here without an edit), and those the sign-in settings,
/// the SDK and the pipeline runner read under their own names.
/// </summary>
internal static class KnownVariables
{
    public const string Prefix = "KEEL_";

    // Read outside KeelEnvironment: AuthSettings (sign-in), KeelCredentials (the SDK), the scorer,
    // OpenLineage, the UI host and the SQL trace switches of Keel.Data.
    private static readonly string[] Others =
    [
        "KEEL_AUTH", "KEEL_ADMIN_USERNAME", "KEEL_ADMIN_PASSWORD", "KEEL_AUTH_DEFAULT_PERMISSION", "KEEL_AUTH_DEFAULT_ROLE",
        "KEEL_AUTH_CACHE_SECONDS", "KEEL_OIDC_ISSUER", "KEEL_OIDC_AUDIENCE", "KEEL_OIDC_ALLOW_HTTP", "KEEL_OIDC_JWKS_URI",
        "KEEL_OIDC_USERNAME_CLAIM", "KEEL_OIDC_ADMIN_GROUP", "KEEL_CREDENTIALS_FILE", Keel.Cli.Commands.Package.ScorerRuntime.Variable,
        "KEEL_OPENLINEAGE_FILE", "KEEL_UI_DIR", "KEEL_TRACE_SQL", "KEEL_TRACE_FULL",
        // Set by the pipeline runner for a step's own process.
        "KEEL_PIPELINE", "KEEL_PIPELINE_RUN_ID", "KEEL_STEP", "KEEL_ATTEMPT",
    ];

    // Families: a step's inputs and outputs (KEEL_INPUT_<NAME>), and the test suite's services.
    private static readonly string[] Prefixes = ["KEEL_INPUT_", "KEEL_OUTPUT_", "KEEL_TEST_"];

    public static IReadOnlySet<string> All { get; } = typeof(KeelEnvironment)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .Concat(Others)
        .ToHashSet(StringComparer.Ordinal);

    public static bool IsKnown(string name) =>
        All.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length);

    /// <summary>The known variable nearest to <paramref name="name"/> when it is plausibly a typo of it, else null.</summary>
    public static string? Suggest(string name) => Keel.Cli.Infrastructure.DidYouMean.Nearest(name, All);
}
