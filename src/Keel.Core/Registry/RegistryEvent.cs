namespace Keel.Core.Registry;

/// <summary>
/// One recorded change to the registry: the start of the audit trail. <see cref="Before"/> and
/// <see cref="After"/> are JSON snapshots of the changed entity (null when it did not exist).
/// </summary>
/// <param name="Id">Increasing event id.</param>
/// <param name="Timestamp">When, Unix milliseconds.</param>
/// <param name="Actor">Who, when known.</param>
/// <param name="Action">What, e.g. <c>create_model_version</c> or <c>set_registered_model_alias</c>.</param>
/// <param name="ModelName">The model's name at the time.</param>
/// <param name="Version">The version concerned, or null for model-level changes.</param>
/// <param name="Before">JSON of the entity before, or null.</param>
/// <param name="After">JSON of the entity after, or null.</param>
public sealed record RegistryEvent(long Id, long Timestamp, string? Actor, string Action, string ModelName, string? Version, string? Before, string? After);
