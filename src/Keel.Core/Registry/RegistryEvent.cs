namespace Keel.Core.Registry;

/// <summary>
/// One recorded change to the registry: the start of the audit trail. <see cref="Before"/> and
/// <see cref="After"/> are JSON snapshots of the changed entity (null when it did not exist).
/// </summary>
public sealed record RegistryEvent(long Id, long Timestamp, string? Actor, string Action, string ModelName, string? Version, string? Before, string? After);
