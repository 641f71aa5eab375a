namespace Keel.Application.Pipelines.Scheduling;

/// <summary>One event that fires a trigger.</summary>
/// <param name="Key">Unique per event (the run's idempotency key), so re-reading a feed never starts a second run.</param>
/// <param name="Fields">The event's fields, for <c>${event.FIELD}</c> in the trigger's parameter mapping.</param>
internal sealed record TriggerFiring(string Key, IReadOnlyDictionary<string, string> Fields);
