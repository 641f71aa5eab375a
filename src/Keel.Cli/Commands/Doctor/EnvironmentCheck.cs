using Keel.Core.Configuration;
using Keel.Core.Errors;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The environment itself: every KEEL_* variable set is one Keel reads (a typo is named with the
/// variable it probably meant), and every value parses, read by the same readers the server and
/// the CLI use when they start.
/// </summary>
internal static class EnvironmentCheck
{
    public const string Name = "environment";

    public static Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        _ = settings;
        _ = cancellationToken;
        var set = Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!)
            .Where(name => name.StartsWith(KnownVariables.Prefix, StringComparison.Ordinal) && KeelEnvironment.FileSource(name) is null).Order(StringComparer.Ordinal).ToList();
        var unknown = set.Where(name => !KnownVariables.IsKnown(name)).ToList();
        var invalid = InvalidValues();
        var details = new Dictionary<string, object?>
        {
            ["set"] = set,
            ["unknown"] = unknown,
            ["invalid"] = invalid.Select(i => i.Message).ToList(),
        };

        if (invalid.Count > 0)
        {
            var (variable, message) = invalid[0];
            var more = invalid.Count > 1 ? $" (and {invalid.Count - 1} more: see -o json)" : string.Empty;
            return Task.FromResult(CheckResult.Fail(Name, message + more,
                variable is null ? "correct the setting named, or remove it"
                : KeelEnvironment.FileSource(variable) is { } source ? $"correct {source}, or remove the key from the file for its default"
                : $"correct {variable}, or unset it (unset {variable}) for its default", details));
        }

        if (unknown.Count > 0)
        {
            var first = unknown[0];
            var suggestion = KnownVariables.Suggest(first);
            var others = unknown.Count > 1 ? $" (and {string.Join(", ", unknown.Skip(1))})" : string.Empty;
            return Task.FromResult(CheckResult.Warn(Name,
                suggestion is null ? $"unknown variable {first}{others}: Keel does not read it" : $"unknown variable {first}, did you mean {suggestion}?{others}",
                suggestion is null ? $"unset {first}, or check its name in docs/cli.md" : $"rename it: export {suggestion}=\"${first}\"; unset {first}", details));
        }

        return Task.FromResult(CheckResult.Ok(Name, set.Count == 0
            ? "no KEEL_* variables set"
            : $"{set.Count} KEEL_* variable{(set.Count == 1 ? string.Empty : "s")} set, all known and valid", details));
    }

    // The readers the server and the CLI call at start; each throws naming its variable and rule.
    private static List<(string? Variable, string Message)> InvalidValues()
    {
        Action[] readers =
        [
            () => Keel.Hosting.DataDirectory.Resolve(null),
            () => Keel.Application.OpenLineage.OpenLineageSettings.FromEnvironment(),
            .. Keel.Cli.Commands.Server.ServerCommand.EnvironmentReaders(),
        ];
        var problems = new List<(string?, string)>();
        foreach (var read in readers)
        {
            try
            {
                read();
            }
            catch (KeelException e)
            {
                var variable = KnownVariables.All.Where(v => e.Message.Contains(v, StringComparison.Ordinal)).OrderByDescending(v => v.Length).FirstOrDefault();
                problems.Add((variable, e.Message));
            }
        }

        return problems;
    }
}
