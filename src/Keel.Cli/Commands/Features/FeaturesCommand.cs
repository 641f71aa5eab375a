using System.CommandLine;

namespace Keel.Cli.Commands.Features;

/// <summary>
/// <c>keel features ...</c>: one subcommand per file (<c>Features*Command.cs</c>), each a
/// <c>Create()</c> listed here, so other parts (materialize, online, get-historical) add a line.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create() => new("features", "The feature store: apply and plan definitions (Feast's names), list, show and version them.")
    {
        FeaturesApplyCommand.CreateApply(),
        FeaturesApplyCommand.CreatePlan(),
        FeaturesListCommand.Create(),
        FeaturesShowCommand.Create(),
        FeaturesVersionsCommand.Create(),
    };
}
