using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Hosting;
using Spectre.Console;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// <c>keel doctor</c>: checks the installation (the environment, the data directory, the stores a
/// configuration points at, the tracking server) and says for each problem what to do. Exit code 0
/// when nothing failed (warnings allowed), 9 when a check failed.
/// </summary>
internal static class DoctorCommand
{
    private static readonly (string Name, Func<DoctorSettings, CancellationToken, Task<CheckResult>> Run)[] Checks =
    [
        (ConfigCheck.Name, ConfigCheck.RunAsync),
        (EnvironmentCheck.Name, EnvironmentCheck.RunAsync),
        (DataDirCheck.Name, DataDirCheck.RunAsync),
        (BackendStoreCheck.Name, BackendStoreCheck.RunAsync),
        (ArtifactsCheck.Name, ArtifactsCheck.RunAsync),
        (OnlineStoreCheck.Name, OnlineStoreCheck.RunAsync),
        (ServerCheck.Name, ServerCheck.RunAsync),
    ];

    /// <summary>Every check's name, in the order they run.</summary>
    public static IReadOnlyList<string> CheckNames { get; } = [.. Checks.Select(c => c.Name)];

    public static Command Create()
    {
        var store = new StoreOptions();
        var backendStore = new Option<string?>(KeelBackends.BackendStoreOption) { Description = "Metadata store to check (postgresql://..., sqlite:///...), as keel server takes it. Default: KEEL_BACKEND_STORE_URI, else the data directory's keel.db." };
        var artifactsDestination = new Option<string?>(KeelBackends.ArtifactsDestinationOption) { Description = "Artifact store to check (a directory, file:///..., s3://bucket/prefix), as keel server takes it. Default: <data-dir>/artifacts." };
        var defaultRoot = new Option<string?>("--default-artifact-root") { Description = "Artifact root of new experiments to check too, when clients write there themselves (file:///..., s3://...)." };
        var onlineStore = new Option<string?>(OnlineStoreBackend.Option) { Description = "Online feature store to check (sqlite:///path, redis://host:port[/db]). Default: KEEL_ONLINE_STORE, else online.db in the data directory." };
        var check = new Option<string[]>("--check") { Description = $"Run only this check (repeatable): {string.Join(", ", CheckNames)}. Default: all." };
        check.AcceptOnlyFromAmong([.. CheckNames]);

        var command = new Command("doctor", "Check the installation (data directory, stores, server, environment) and say what to fix.")
        {
            backendStore, artifactsDestination, defaultRoot, onlineStore, check,
        };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var settings = new DoctorSettings
            {
                DataDirOption = result.GetValue(store.DataDir),
                TrackingUriOption = result.GetValue(store.TrackingUri),
                BackendStoreOption = result.GetValue(backendStore),
                ArtifactsDestinationOption = result.GetValue(artifactsDestination),
                DefaultArtifactRootOption = result.GetValue(defaultRoot),
                OnlineStoreOption = result.GetValue(onlineStore),
                Config = ConfigFile.Loaded,
            };
            var only = result.GetValue(check) ?? [];
            var results = await RunAsync(settings, only, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                Console.Out.WriteLine(DoctorReport.Json(results));
            }
            else
            {
                DoctorReport.Table(results, AnsiConsole.Console);
            }

            return results.Any(r => r.Status == CheckStatus.Fail) ? ExitCodes.ChecksFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs the checks named in <paramref name="only"/> (all when empty), in order; a spinner on stderr when it is a terminal.</summary>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorSettings settings, IReadOnlyCollection<string> only, CancellationToken cancellationToken)
    {
        var selected = Checks.Where(c => only.Count == 0 || only.Contains(c.Name, StringComparer.Ordinal)).ToList();
        var results = new List<CheckResult>();
        if (Console.IsErrorRedirected)
        {
            foreach (var (name, run) in selected)
            {
                results.Add(await RunOneAsync(name, run, settings, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }

        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await stderr.Status().StartAsync("Checking", async context =>
        {
            foreach (var (name, run) in selected)
            {
                context.Status($"Checking {name}");
                results.Add(await RunOneAsync(name, run, settings, cancellationToken).ConfigureAwait(false));
            }
        }).ConfigureAwait(false);
        return results;
    }

    private static async Task<CheckResult> RunOneAsync(string name, Func<DoctorSettings, CancellationToken, Task<CheckResult>> run, DoctorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await run(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e)
        {
            // A check names what it expects to go wrong; anything else still becomes a finding, not a crash.
            return CheckResult.Fail(name, e.Message, "fix what the message names, then run keel doctor again");
        }
    }
}
