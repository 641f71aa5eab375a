namespace Keel.Core.Monitoring;

/// <summary>
/// The alert transition table. A breach opens an alert as pending, or straight as firing when the
/// rule's <c>for</c> is already met; pending becomes firing once <c>for</c> windows in a row breach,
/// or resolved when the breach clears first; firing becomes resolved when it clears. While pending
/// or firing the severity may change (warning ↔ critical): that is recorded as a change to the same
/// state. Resolved is final. An alert is never re-opened and never goes back from firing to pending.
/// </summary>
public static class AlertStateTransitions
{
    /// <summary>The states a new alert may start in.</summary>
    public static IReadOnlyList<AlertState> Opening { get; } = [AlertState.Pending, AlertState.Firing];

    private static readonly Dictionary<AlertState, AlertState[]> Allowed = new()
    {
        [AlertState.Pending] = [AlertState.Pending, AlertState.Firing, AlertState.Resolved],
        [AlertState.Firing] = [AlertState.Firing, AlertState.Resolved],
        [AlertState.Resolved] = [],
    };

    /// <summary>
    /// True when the table allows the move. <paramref name="from"/> null is "no open alert";
    /// a move to the same state is allowed only as a severity change.
    /// </summary>
    /// <param name="from">The open alert's state, or null when there is none.</param>
    /// <param name="to">The state asked for.</param>
    /// <param name="severityChanges">True when the move changes the severity.</param>
    public static bool IsAllowed(AlertState? from, AlertState to, bool severityChanges) =>
        from is not { } current ? Opening.Contains(to)
        : current == to ? severityChanges && Allowed[current].Contains(to)
        : Allowed[current].Contains(to);

    /// <summary>True for the states an alert never leaves.</summary>
    /// <param name="state">The state.</param>
    public static bool IsFinal(AlertState state) => Allowed[state].Length == 0;

    /// <summary>The stored and wire name of a state.</summary>
    /// <param name="state">The state.</param>
    public static string Name(AlertState state) => state switch
    {
        AlertState.Pending => "pending",
        AlertState.Firing => "firing",
        AlertState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not an alert state."),
    };

    /// <summary>The state of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">pending, firing or resolved.</param>
    public static AlertState? Parse(string? name) => name switch
    {
        "pending" => AlertState.Pending,
        "firing" => AlertState.Firing,
        "resolved" => AlertState.Resolved,
        _ => null,
    };

    /// <summary>The stored and wire name of a severity.</summary>
    /// <param name="severity">The severity.</param>
    public static string Name(AlertSeverity severity) => severity == AlertSeverity.Critical ? "critical" : "warning";

    /// <summary>The severity of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">warning or critical.</param>
    public static AlertSeverity? ParseSeverity(string? name) => name switch
    {
        "warning" => AlertSeverity.Warning,
        "critical" => AlertSeverity.Critical,
        _ => null,
    };
}
