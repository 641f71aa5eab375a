using System.CommandLine;
using Keel.Cli.Commands.Data;
using Keel.Cli.Commands.Deploy;
using Keel.Cli.Commands.Endpoints;
using Keel.Cli.Commands.Experiments;
using Keel.Cli.Commands.Models;
using Keel.Cli.Commands.Package;
using Keel.Cli.Commands.Predict;
using Keel.Cli.Commands.Quickstart;
using Keel.Cli.Commands.Runs;
using Keel.Cli.Commands.Server;
using Keel.Cli.Commands.Worker;

namespace Keel.Cli.Infrastructure;

/// <summary>The whole command tree of <c>keel</c>, and how one invocation runs.</summary>
internal static class KeelCommandLine
{
    /// <summary>The root command with every command group.</summary>
    public static RootCommand Build()
    {
        // Root commands in the order of KeelHelp.RootGroups: what a newcomer needs first, then the loop's stages.
        var root = new RootCommand("Keel: the whole ML loop in one tool, from data and experiments to models served, monitored and retrained.")
        {
            QuickstartCommand.Create(),
            ServerCommand.Create(),
            Keel.Cli.Commands.Ui.UiCommand.Create(),
            Keel.Cli.Commands.Login.LoginCommand.CreateLogin(),
            Keel.Cli.Commands.Login.LoginCommand.CreateLogout(),
            ExperimentsCommand.Create(),
            RunsCommand.Create(),
            Keel.Cli.Commands.Train.TrainCommand.Create(),
            ModelsCommand.Create(),
            DataCommand.Create(),
            Keel.Cli.Commands.Features.FeaturesCommand.Create(),
            Keel.Cli.Commands.Lineage.LineageCommand.Create(),
            EndpointsCommand.Create(),
            PredictCommand.Create(),
            PackageCommand.Create(),
            DeployCommand.Create(),
            Keel.Cli.Commands.Monitor.MonitorCommand.Create(),
            Keel.Cli.Commands.Alerts.AlertsCommand.Create(),
            Keel.Cli.Commands.Pipelines.PipelinesCommand.Create(),
            WorkerCommand.Create(),
            Keel.Cli.Commands.Governance.EnvironmentsCommand.Create(),
            Keel.Cli.Commands.Governance.ApprovalsCommand.Create(),
            Keel.Cli.Commands.Users.UsersCommand.Create(),
            Keel.Cli.Commands.Users.TokensCommand.Create(),
            Keel.Cli.Commands.Users.GroupsCommand.Create(),
            Keel.Cli.Commands.Users.RolesCommand.Create(),
            Keel.Cli.Commands.Users.PermissionsCommand.Create(),
            Keel.Cli.Commands.Audit.AuditCommand.Create(),
            Keel.Cli.Commands.Doctor.DoctorCommand.Create(),
            Keel.Cli.Commands.Completion.CompletionCommand.Create(),
        };
        root.Add(VerboseOption());
        root.Add(ConfigOption());
        UsageErrors.RefuseOptionLikeArguments(root);
        OptionOrder.Apply(root);
        KeelCompletion.Configure(root);
        KeelHelp.Configure(root);
        return root;
    }

    /// <summary><c>--verbose</c>, on every command: errors carry their details and stack trace.</summary>
    private static Option<bool> VerboseOption() => new("--verbose")
    {
        Description = "Show the details of an error (its type and stack trace), for a bug report.",
        Recursive = true,
    };

    /// <summary><c>--config</c>, on every command: the config file to read.</summary>
    private static Option<string?> ConfigOption() => new("--config")
    {
        Description = "Config file to read settings from. Default: KEEL_CONFIG, else ~/.keel/config.yaml when it exists. Precedence: option > environment > file > default.",
        Recursive = true,
    };

    /// <summary>
    /// Whether the command line runs something the config file cannot change: <c>--help</c>,
    /// <c>--version</c>, completion and its suggestions. They work even when the file is broken,
    /// which is when a user needs them.
    /// </summary>
    private static bool IgnoresConfig(ParseResult parsed) =>
        parsed.CommandResult.Command.Name == "completion"
        || (parsed.Action is { } action && action is not System.CommandLine.Invocation.ParseErrorAction && !ReferenceEquals(action, parsed.CommandResult.Command.Action));

    /// <summary>
    /// Reads and checks the config file, then fills in what the command line and the environment
    /// leave unset: the command line parsed again with the file's options, and the file's variables.
    /// Nothing is applied unless the whole file is usable.
    /// </summary>
    private static ParseResult WithConfigFile(RootCommand root, string[] args, ParseResult parsed)
    {
        var config = ConfigFile.Find(parsed.GetValue<string?>("--config"));
        ConfigFile.Loaded = new ConfigFileState(config?.FilePath, config?.Settings.Count ?? 0, null);
        if (config is null)
        {
            return parsed;
        }

        config.Check(root);
        var withFile = config.AddOptions(args, parsed);
        if (withFile.Length != args.Length)
        {
            var reparsed = root.Parse(withFile);
            if (reparsed.Errors.Count > parsed.Errors.Count)
            {
                // The file's keys are known (Check passed), so what is left is a bad value.
                throw Keel.Core.Errors.KeelException.InvalidParameter($"The config file {config.FilePath} gives `keel {CommandTree.PathOf(parsed.CommandResult.Command)}` a value it refuses: {string.Join(" ", UsageErrors.Messages(reparsed).Except(UsageErrors.Messages(parsed)))}");
            }

            parsed = reparsed;
            CliErrors.Verbose = parsed.GetValue<bool>("--verbose");
        }

        config.ApplyVariables();
        return parsed;
    }

    /// <summary>Parses and runs one command line; the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        CliConsole.Configure();
        var root = Build();
        var parsed = root.Parse(args);
        CliErrors.Verbose = parsed.GetValue<bool>("--verbose");
        ConfigFile.Loaded = null;
        if (!IgnoresConfig(parsed))
        {
            try
            {
                parsed = WithConfigFile(root, args, parsed);
            }
            catch (Exception e) when (parsed.CommandResult.Command.Name == "doctor" && e is ConfigFileException or Keel.Core.Errors.KeelException)
            {
                // keel doctor is where a user goes when keel will not start: it reports the file's
                // problem as its `config` check and checks the rest without the file.
                ConfigFile.Loaded = (ConfigFile.Loaded ?? new ConfigFileState(null, 0, null)) with { Problem = e.Message };
            }
            catch (Exception e)
            {
                return CliErrors.Report(e);
            }
        }

        if (parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            return UsageErrors.Report(parsed);
        }

        // keel worker handles Ctrl-C and SIGTERM itself (it drains running jobs for up to --drain-seconds);
        // System.CommandLine's handler would end the process after two seconds.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (parsed.CommandResult.Command.Name == "worker")
        {
            invocation.ProcessTerminationTimeout = null;
        }

        try
        {
            return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return CliErrors.Report(e);
        }
    }
}
