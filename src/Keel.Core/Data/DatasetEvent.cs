namespace Keel.Core.Data;

/// <summary>One change to a dataset, as the audit trail keeps it.</summary>
/// <param name="Id">The event's sequence number.</param>
/// <param name="Timestamp">When, in Unix milliseconds.</param>
/// <param name="Actor">Who, when known.</param>
/// <param name="Action">What, e.g. <c>version.add</c>, <c>alias.set</c>.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Detail">e.g. the version and digest added, the alias and version.</param>
public sealed record DatasetEvent(long Id, long Timestamp, string? Actor, string Action, string Dataset, string? Detail);
