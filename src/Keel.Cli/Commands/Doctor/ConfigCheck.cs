using Keel.Cli.Infrastructure;
using Keel.Core.Configuration;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The config file: which one this keel reads (<c>--config</c>, <c>KEEL_CONFIG</c> or
/// <c>~/.keel/config.yaml</c>), and whether it can be used. A broken file stops every other command,
/// so doctor reports it here and runs its other checks without it.
/// </summary>
internal static class ConfigCheck
{
    public const string Name = "config";

    public static Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var state = settings.Config;
        var details = new Dictionary<string, object?>
        {
            ["path"] = state?.Path,
            ["settings"] = state?.Settings ?? 0,
            ["problem"] = state?.Problem,
        };
        if (state?.Problem is { } problem)
        {
            return Task.FromResult(CheckResult.Fail(Name, problem,
                "fix the file (docs/cli.md, Configuration, lists the keys), or point --config or KEEL_CONFIG at another; the other checks ran without it", details));
        }

        if (state?.Path is not { } path)
        {
            return Task.FromResult(CheckResult.Skipped(Name,
                $"no config file ({ConfigFile.DefaultPath} does not exist, and neither --config nor {KeelEnvironment.ConfigFile} names one)", details));
        }

        return Task.FromResult(CheckResult.Ok(Name, $"{path}: {state.Settings} setting{(state.Settings == 1 ? string.Empty : "s")}, all known", details));
    }
}
