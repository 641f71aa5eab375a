using System.CommandLine;

namespace Keel.Cli.Commands.Features;

/// <summary>
/// <c>keel features ...</c>: one subcommand per file (<c>Features*Command.cs</c>), each a
/// <c>Create()</c> listed here, so other parts (materialize, online, get-historical) add a line.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create() => new("features", "The feature store: definitions, point-in-time training data, materialization and online reads.")
    {
        FeaturesApplyCommand.CreateApply(),
        FeaturesApplyCommand.CreatePlan(),
        FeaturesListCommand.Create(),
        FeaturesShowCommand.Create(),
        FeaturesVersionsCommand.Create(),
        GetHistoricalCommand.Create(),
        MaterializeCommand.Create(),
        MaterializeIncrementalCommand.Create(),
        OnlineCommand.Create(),
    };
}
