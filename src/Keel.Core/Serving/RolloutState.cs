using System.Text.Json.Serialization;
using Keel.Core.Errors;

namespace Keel.Core.Serving;

/// <summary>State of a progressive rollout.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutState>))]
public enum RolloutState
{
    [JsonStringEnumMemberName("running")]
    Running,
    [JsonStringEnumMemberName("promoted")]
    Promoted,
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,
    [JsonStringEnumMemberName("aborted")]
    Aborted,
}

/// <summary>
/// The rollout transition table. A running rollout moves step by step (Running to Running) until it
/// is promoted, rolled back (a breach or an operator) or aborted. A promoted rollout can still be
/// rolled back: the previous champion is kept warm for exactly that. Rolled back and aborted are final.
/// </summary>
public static class RolloutStateTransitions
{
    private static readonly Dictionary<RolloutState, RolloutState[]> Allowed = new()
    {
        [RolloutState.Running] = [RolloutState.Running, RolloutState.Promoted, RolloutState.RolledBack, RolloutState.Aborted],
        [RolloutState.Promoted] = [RolloutState.RolledBack],
        [RolloutState.RolledBack] = [],
        [RolloutState.Aborted] = [],
    };

    public static bool CanMoveTo(this RolloutState from, RolloutState to) => Allowed[from].Contains(to);

    public static void EnsureCanMoveTo(this RolloutState from, RolloutState to)
    {
        if (!from.CanMoveTo(to))
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Cannot move a rollout from {from.ToWire()} to {to.ToWire()}.");
        }
    }

    public static string ToWire(this RolloutState state) => state switch
    {
        RolloutState.Running => "running",
        RolloutState.Promoted => "promoted",
        RolloutState.RolledBack => "rolled_back",
        RolloutState.Aborted => "aborted",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
