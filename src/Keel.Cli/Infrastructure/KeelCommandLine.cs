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
        var root = new RootCommand("Keel: the ML loop in one product: data, tracking (MLflow-compatible), registry, serving.")
        {
            ServerCommand.Create(),
            ExperimentsCommand.Create(),
            RunsCommand.Create(),
            ModelsCommand.Create(),
            DataCommand.Create(),
            Keel.Cli.Commands.Lineage.LineageCommand.Create(),
            Keel.Cli.Commands.Alerts.AlertsCommand.Create(),
            Keel.Cli.Commands.Features.FeaturesCommand.Create(),
            Keel.Cli.Commands.Login.LoginCommand.CreateLogin(),
            Keel.Cli.Commands.Login.LoginCommand.CreateLogout(),
            Keel.Cli.Commands.Users.UsersCommand.Create(),
            Keel.Cli.Commands.Users.TokensCommand.Create(),
            Keel.Cli.Commands.Users.PermissionsCommand.Create(),
            Keel.Cli.Commands.Users.GroupsCommand.Create(),
            Keel.Cli.Commands.Users.RolesCommand.Create(),
            Keel.Cli.Commands.Audit.AuditCommand.Create(),
            Keel.Cli.Commands.Governance.EnvironmentsCommand.Create(),
            Keel.Cli.Commands.Governance.ApprovalsCommand.Create(),
            EndpointsCommand.Create(),
            DeployCommand.Create(),
            PackageCommand.Create(),
            PredictCommand.Create(),
            QuickstartCommand.Create(),
            Keel.Cli.Commands.Train.TrainCommand.Create(),
            WorkerCommand.Create(),
            Keel.Cli.Commands.Monitor.MonitorCommand.Create(),
            Keel.Cli.Commands.Pipelines.PipelinesCommand.Create(),
            Keel.Cli.Commands.Ui.UiCommand.Create(),
            Keel.Cli.Commands.Doctor.DoctorCommand.Create(),
        };
        return root;
    }

    /// <summary>Parses and runs one command line; the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        // keel worker handles Ctrl-C and SIGTERM itself (it drains running jobs for up to --drain-seconds);
        // System.CommandLine's handler would end the process after two seconds.
        var invocation = new InvocationConfiguration();
        if (parsed.CommandResult.Command.Name == "worker")
        {
            invocation.ProcessTerminationTimeout = null;
        }

        return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
