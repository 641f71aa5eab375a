namespace Keel.Core.Pipelines;

/// <summary>A step's outputs kept under its cache key (the content hash of everything that decides them).</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Pipeline">The pipeline that produced it.</param>
/// <param name="Step">The step that produced it.</param>
/// <param name="RunId">The run that produced it.</param>
/// <param name="Outputs">The outputs to reuse.</param>
/// <param name="CreatedAt">When it was stored (Unix ms).</param>
public sealed record StepCacheEntry(string Key, string Pipeline, string Step, long RunId, IReadOnlyDictionary<string, string> Outputs, long CreatedAt);
