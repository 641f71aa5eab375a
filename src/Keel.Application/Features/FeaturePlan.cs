using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>What an apply does to one definition.</summary>
public enum FeaturePlanAction
{
    /// <summary>Nothing changes.</summary>
    Unchanged,

    /// <summary>A new definition (version 1, or the next number after a deleted one's).</summary>
    Create,

    /// <summary>Metadata only (description, tags, ttl, online): the current version changes in place.</summary>
    Update,

    /// <summary>A schema change: a new version; the old one is kept.</summary>
    NewVersion,

    /// <summary>Absent from the desired definitions: deleted (its versions stay listed).</summary>
    Delete,
}

/// <summary>A production endpoint that reads what a change breaks.</summary>
/// <param name="Name">The endpoint.</param>
/// <param name="Environment">Its environment.</param>
/// <param name="ModelUris">The model versions it serves (its routes).</param>
public sealed record FeaturePlanEndpoint(string Name, string Environment, IReadOnlyList<string> ModelUris);

/// <summary>One line of a plan.</summary>
/// <param name="Kind">The definition's kind.</param>
/// <param name="Name">Its name.</param>
/// <param name="Action">What the apply does.</param>
/// <param name="VersionBefore">The current version; null when new.</param>
/// <param name="VersionAfter">The version after the apply; null when deleted.</param>
/// <param name="Reason">What changed, for people.</param>
/// <param name="Definition">The desired definition; null for a delete.</param>
public sealed record FeaturePlanItem(
    FeatureObjectKind Kind, string Name, FeaturePlanAction Action, int? VersionBefore, int? VersionAfter, string Reason, object? Definition)
{
    /// <summary>Production endpoints that read what this change breaks (set for new versions and deletes only).</summary>
    public IReadOnlyList<FeaturePlanEndpoint> Endpoints { get; init; } = [];

    /// <summary>Registered model versions (<c>models:/name/version</c>) tagged <c>keel.feature_service</c> with an affected service.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>True for a change that breaks readers: a new version or a delete.</summary>
    public bool Breaking => Action is FeaturePlanAction.NewVersion or FeaturePlanAction.Delete;

    /// <summary>True when the apply refuses it without force: breaking, and a production endpoint reads it.</summary>
    public bool Refused => Breaking && Endpoints.Count > 0;
}

/// <summary>What applying definitions would change, made from the catalog at <see cref="Revision"/>.</summary>
/// <param name="Revision">The catalog revision the plan was made from.</param>
/// <param name="Items">One line per definition, desired and deleted.</param>
public sealed record FeaturePlan(long Revision, IReadOnlyList<FeaturePlanItem> Items)
{
    /// <summary>True when the apply changes something.</summary>
    public bool HasChanges => Items.Any(i => i.Action != FeaturePlanAction.Unchanged);

    /// <summary>The changes refused without force.</summary>
    public IReadOnlyList<FeaturePlanItem> Refused => [.. Items.Where(i => i.Refused)];

    /// <summary>The changes for <see cref="IFeatureRegistry.ApplyAsync"/>.</summary>
    public IReadOnlyList<FeatureObjectChange> Changes =>
    [
        .. Items.Where(i => i.Action != FeaturePlanAction.Unchanged)
            .Select(i => new FeatureObjectChange(i.Kind, i.Name, i.Action == FeaturePlanAction.Delete ? null : i.Definition, i.Action is FeaturePlanAction.Create or FeaturePlanAction.NewVersion)),
    ];
}
