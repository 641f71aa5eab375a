using System.CommandLine;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models ...</c></summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "Browse the model registry: models, versions, aliases, stages; download a model.")
    {
        ListCommand.Create(),
        ShowCommand.Create(),
        VersionsCommand.Create(),
        AliasCommand.Create(),
        StageCommand.Create(),
        DownloadCommand.Create(),
    };
}
