namespace Keel.Core.Pipelines;

/// <summary>
/// A pipeline as stored: its latest definition. Every applied change that alters the definition
/// adds a version; runs name the version they ran, so a later change never rewrites history.
/// </summary>
/// <param name="Name">The pipeline's name (unique).</param>
/// <param name="Version">The latest definition's version, from 1.</param>
/// <param name="Source">The definition as applied (YAML or JSON text); parsed above the store.</param>
/// <param name="Hash">Content hash of the normalised definition: an apply with the same hash adds no version.</param>
/// <param name="CreatedAt">When version 1 was applied (Unix ms).</param>
/// <param name="UpdatedAt">When the latest version was applied (Unix ms).</param>
public sealed record Pipeline(string Name, int Version, string Source, string Hash, long CreatedAt, long UpdatedAt);
