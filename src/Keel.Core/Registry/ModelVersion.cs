using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>One version of a registered model. <see cref="Version"/> counts 1, 2, ... per model.</summary>
public sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    ModelStage CurrentStage,
    string? Description,
    string Source,
    string? RunId,
    ModelVersionStatus Status,
    string? StatusMessage,
    IReadOnlyList<Tag> Tags,
    string? RunLink,
    IReadOnlyList<string> Aliases);

/// <summary>What a new version starts with; the store numbers it.</summary>
public sealed record NewModelVersion(string Name, string Source, string? RunId, IReadOnlyList<Tag> Tags, string? RunLink, string? Description, string? UserId);
