namespace Keel.Core.Tracking;

/// <summary>
/// One page of a search as a store returns it: the items at the requested offset and whether more
/// follow. Page tokens are made above the store.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The page's items.</param>
/// <param name="HasMore">True when items follow this page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore);

/// <summary>One page as the API returns it: items plus an opaque token for the next page (null on the last).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The page's items.</param>
/// <param name="NextPageToken">Pass it back to get the next page; null on the last page.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken);
