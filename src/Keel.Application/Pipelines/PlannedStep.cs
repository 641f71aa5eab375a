namespace Keel.Application.Pipelines;

/// <summary>What a run would do with one step, and why.</summary>
/// <param name="Step">The step.</param>
/// <param name="Type">Its type.</param>
/// <param name="Action">run or cached.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="CacheKey">Its cache key, when it can be known before running (its upstreams would all be cached).</param>
/// <param name="CachedFrom">For a hit, the run whose outputs would be reused.</param>
/// <param name="Changes">What differs from the key of the step's last successful run (which input, parameter or file changed).</param>
public sealed record PlannedStep(string Step, string Type, string Action, string Reason, string? CacheKey, long? CachedFrom, IReadOnlyList<string> Changes);
