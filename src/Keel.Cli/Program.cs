using System.CommandLine;
using Keel.Cli.Commands.Deploy;
using Keel.Cli.Commands.Endpoints;
using Keel.Cli.Commands.Experiments;
using Keel.Cli.Commands.Models;
using Keel.Cli.Commands.Package;
using Keel.Cli.Commands.Predict;
using Keel.Cli.Commands.Quickstart;
using Keel.Cli.Commands.Runs;
using Keel.Cli.Commands.Server;

var root = new RootCommand("Keel: experiment tracking compatible with MLflow.")
{
    ServerCommand.Create(),
    ExperimentsCommand.Create(),
    RunsCommand.Create(),
    ModelsCommand.Create(),
    EndpointsCommand.Create(),
    DeployCommand.Create(),
    PackageCommand.Create(),
    PredictCommand.Create(),
    QuickstartCommand.Create(),
    Keel.Cli.Commands.Train.TrainCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
