namespace Keel.Core.Monitoring;

/// <summary>Counts of an endpoint's stored labels.</summary>
/// <param name="Labels">Labels stored (one per request id).</param>
/// <param name="Matched">Of those, joined to a logged prediction.</param>
/// <param name="Unmatched">Of those, not joined (yet).</param>
/// <param name="Replaced">Times a label was replaced by a later one for the same request.</param>
public sealed record LabelSummary(long Labels, long Matched, long Unmatched, long Replaced);
