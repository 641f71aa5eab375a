using System.CommandLine;

namespace Keel.Cli.Commands.Runs;

/// <summary><c>keel runs ...</c></summary>
internal static class RunsCommand
{
    public static Command Create() => new("runs", "Search, show and compare runs.")
    {
        ListCommand.Create(),
        ShowCommand.Create(),
        CompareCommand.Create(),
    };
}
