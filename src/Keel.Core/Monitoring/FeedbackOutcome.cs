namespace Keel.Core.Monitoring;

/// <summary>What storing a batch of labels did.</summary>
/// <param name="Received">Labels in the batch (after duplicates within it were folded, last wins).</param>
/// <param name="Replaced">Labels that replaced one stored earlier for the same request (last write wins), plus duplicates folded within the batch.</param>
/// <param name="Matched">Labels whose request is among the indexed predictions now.</param>
/// <param name="Unmatched">Labels whose request is not (yet) indexed; kept and joined when it is, or purged after the retention.</param>
public sealed record FeedbackOutcome(long Received, long Replaced, long Matched, long Unmatched);
