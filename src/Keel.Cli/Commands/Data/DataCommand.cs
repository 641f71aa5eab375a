using System.CommandLine;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data ...</c></summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Version, profile and validate datasets: add, list, show, versions, get, diff, alias, validate, suggest.")
    {
        ListCommand.Create(),
        VersionsCommand.Create(),
        AliasCommand.Create(),
    };
}
