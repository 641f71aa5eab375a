using System.CommandLine;

namespace Keel.Cli.Commands.Monitor;

/// <summary><c>keel monitor ...</c></summary>
internal static class MonitorCommand
{
    public static Command Create() => new("monitor", "Model monitoring: drift between two tables, an endpoint's figures per window, delayed labels.")
    {
        DriftCommand.Create(),
        MonitorShowCommand.Create(),
        MonitorFeedbackCommand.Create(),
    };
}
