using System.CommandLine;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints ...</c>: model endpoints and rollouts on a running keel server.</summary>
internal static class EndpointsCommand
{
    public static Command Create() => new("endpoints", "Serve models: create endpoints, split traffic, roll out new versions safely.")
    {
        CreateCommand.Create(),
        ListCommand.Create(),
        ShowCommand.Create(),
        CanaryCommand.Create(),
        TrafficCommand.Create(),
        ActionCommand.Create("promote", "Promote the running rollout's challenger now."),
        ActionCommand.Create("abort", "Abort the running rollout; the champion takes all traffic."),
        ActionCommand.Create("rollback", "Roll back the running rollout, or switch back to the previous version after a promotion or blue-green switch."),
        DeleteCommand.Create(),
    };
}
