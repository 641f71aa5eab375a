namespace Keel.Core.Serving;

/// <summary>
/// One entry of the serving change feed: endpoint <paramref name="Endpoint"/> was stored at
/// <paramref name="Version"/> (0 when it was deleted). Sequences grow with every change across all
/// endpoints, so a replica that remembers the last one it applied can catch up from there.
/// </summary>
/// <param name="Sequence">The change's position in the feed, increasing.</param>
/// <param name="Endpoint">The endpoint's name.</param>
/// <param name="Version">The endpoint's revision after the change; 0 for a deletion.</param>
public sealed record ServingChange(long Sequence, string Endpoint, long Version);
