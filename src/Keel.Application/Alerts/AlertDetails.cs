using Keel.Core.Monitoring;

namespace Keel.Application.Alerts;

/// <summary>An alert with its state changes and webhook delivery log.</summary>
/// <param name="Alert">The alert.</param>
/// <param name="Events">Its events, oldest first.</param>
/// <param name="Deliveries">Its delivery attempts, oldest first.</param>
public sealed record AlertDetails(Alert Alert, IReadOnlyList<AlertEvent> Events, IReadOnlyList<AlertDelivery> Deliveries);
