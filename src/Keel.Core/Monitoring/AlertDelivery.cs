namespace Keel.Core.Monitoring;

/// <summary>One attempt to deliver an event to a webhook, as the delivery log keeps it.</summary>
/// <param name="EventSequence">The event delivered.</param>
/// <param name="Url">The webhook.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when none came back.</param>
/// <param name="Error">What went wrong, or null on success.</param>
/// <param name="Time">When, Unix milliseconds.</param>
/// <param name="Outcome"><c>delivered</c>, <c>retrying</c> or <c>failed</c> (no attempts left).</param>
public sealed record AlertDelivery(long EventSequence, string Url, int Attempt, int? StatusCode, string? Error, long Time, string Outcome);
