namespace Keel.Core.Monitoring;

/// <summary>What one delivery attempt did, to log and to settle its outbox row with.</summary>
/// <param name="DeliveryId">The outbox row.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null.</param>
/// <param name="Error">What went wrong, or null on success.</param>
/// <param name="Time">When, Unix milliseconds.</param>
/// <param name="Delivered">True when the receiver accepted it (2xx): the row leaves the outbox.</param>
/// <param name="NextAttemptAt">When to try again (Unix milliseconds), or null to give up.</param>
public sealed record DeliveryAttempt(long DeliveryId, int Attempt, int? StatusCode, string? Error, long Time, bool Delivered, long? NextAttemptAt);
