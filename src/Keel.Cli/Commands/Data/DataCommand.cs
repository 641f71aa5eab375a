using System.CommandLine;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data ...</c></summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Version, profile and validate datasets: add, list, show, versions, get, diff, alias, validate, suggest.")
    {
        AddCommand.Create(),
        ListCommand.Create(),
        ShowCommand.Create(),
        VersionsCommand.Create(),
        GetCommand.Create(),
        DiffCommand.Create(),
        AliasCommand.Create(),
        ValidateCommand.Create(),
        SuggestCommand.Create(),
    };
}
