namespace Keel.Core.Pipelines;

/// <summary>
/// What the scheduler remembers about one trigger, so a new leader carries on where the last one
/// stopped: the cursor of the feed or schedule it follows, and a debounced firing waiting to happen.
/// </summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Trigger">The trigger's name in the definition.</param>
/// <param name="Cursor">Where it has read up to: the last schedule time fired (Unix ms) or the last event sequence seen, as text.</param>
/// <param name="PendingUntil">When a debounced firing is due (Unix ms), or null when none waits.</param>
/// <param name="PendingDetail">The event the pending firing carries (the latest of the burst), as JSON.</param>
/// <param name="Fired">How many runs it has started.</param>
/// <param name="UpdatedAt">When it last changed (Unix ms).</param>
public sealed record TriggerState(string Pipeline, string Trigger, string? Cursor, long? PendingUntil, string? PendingDetail, long Fired, long UpdatedAt);
