namespace Keel.Core.Monitoring;

/// <summary>An event waiting in the outbox for one webhook.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="Event">The event to deliver.</param>
/// <param name="Url">The webhook.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="Secret">The rule's own signing secret, or null for the server's.</param>
public sealed record PendingDelivery(long Id, AlertEvent Event, string Url, int Attempts, string? Secret);
