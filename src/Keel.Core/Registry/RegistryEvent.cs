namespace Keel.Core.Registry;

/// <summary>
/// One recorded change to the registry: the start of the audit trail, with the changed entity as
/// it was before and after (null when it did not exist). Stores keep the snapshots in their own
/// storage shape; the API renders them as JSON of its own shape.
/// </summary>
/// <param name="Id">Increasing event id.</param>
/// <param name="Timestamp">When, Unix milliseconds.</param>
/// <param name="Actor">Who, when known.</param>
/// <param name="Action">What, e.g. <c>create_model_version</c> or <c>set_registered_model_alias</c>.</param>
/// <param name="ModelName">The model's name at the time.</param>
/// <param name="Version">The version concerned, or null for model-level changes.</param>
/// <param name="Before">The entity before the change, or null.</param>
/// <param name="After">The entity after the change, or null.</param>
public sealed record RegistryEvent(long Id, long Timestamp, string? Actor, string Action, string ModelName, string? Version, RegistrySnapshot? Before, RegistrySnapshot? After);
