using System.CommandLine;

namespace Keel.Cli.Commands.Experiments;

/// <summary><c>keel experiments ...</c></summary>
internal static class ExperimentsCommand
{
    public static Command Create() => new("experiments", "List, create, delete and restore experiments.")
    {
        ListCommand.Create(),
        CreateCommand.Create(),
        DeleteCommand.Create(),
        RestoreCommand.Create(),
    };
}
