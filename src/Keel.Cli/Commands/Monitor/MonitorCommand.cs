using System.CommandLine;

namespace Keel.Cli.Commands.Monitor;

/// <summary><c>keel monitor ...</c></summary>
internal static class MonitorCommand
{
    public static Command Create() => new("monitor", "Model monitoring: drift between a reference and a current table.")
    {
        DriftCommand.Create(),
    };
}
