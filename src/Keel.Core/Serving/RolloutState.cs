using System.Text.Json.Serialization;
using Keel.Core.Errors;

namespace Keel.Core.Serving;

/// <summary>State of a progressive rollout.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutState>))]
public enum RolloutState
{
    /// <summary>Stepping up the challenger's share.</summary>
    [JsonStringEnumMemberName("running")]
    Running,
    /// <summary>The challenger took all traffic; the champion is kept warm.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,
    /// <summary>The champion took all traffic back (a breach or an operator).</summary>
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,
    /// <summary>Stopped by an operator before it finished.</summary>
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

    /// <summary>True when the table allows the move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    public static bool CanMoveTo(this RolloutState from, RolloutState to) => Allowed[from].Contains(to);

    /// <summary>Throws when the table refuses the move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <exception cref="KeelException">RESOURCE_CONFLICT naming both states.</exception>
    public static void EnsureCanMoveTo(this RolloutState from, RolloutState to)
    {
        if (!from.CanMoveTo(to))
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Cannot move a rollout from {from.ToWire()} to {to.ToWire()}.");
        }
    }

    /// <summary>The wire name: <c>running</c>, <c>promoted</c>, <c>rolled_back</c> or <c>aborted</c>.</summary>
    /// <param name="state">The state.</param>
    public static string ToWire(this RolloutState state) => state switch
    {
        RolloutState.Running => "running",
        RolloutState.Promoted => "promoted",
        RolloutState.RolledBack => "rolled_back",
        RolloutState.Aborted => "aborted",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
