namespace Keel.Core.Tracking;

/// <summary>
/// One page of a search as a store returns it: the items at the requested offset and whether more
/// follow. Page tokens are made above the store.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore);

/// <summary>One page as the API returns it: items plus an opaque token for the next page (null on the last).</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken);
