using Keel.Core.Coordination;

namespace Keel.Core.Monitoring;

/// <summary>
/// Persistence of alerting on a metadata backend: the <see cref="IAlertCatalog"/> plus the writes
/// of the evaluator and the webhook deliverer. Each such write may carry a lease fence, checked in
/// the same transaction (a stale leader's write is refused with RESOURCE_CONFLICT).
/// </summary>
public interface IAlertStore : IAlertCatalog
{
    /// <summary>
    /// Applies a state change in one transaction: opens, changes or resolves the rule's alert,
    /// appends the event with the next sequence, and queues one outbox row per webhook of the rule.
    /// Returns null, changing nothing, when the rule is gone or its open alert is no longer the one
    /// (state, severity) the change was decided from.
    /// </summary>
    /// <param name="transition">The change.</param>
    /// <param name="fence">The evaluator's lease, or null when not run as a singleton (tests, one-off passes).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_CONFLICT when the fence is stale; INVALID_STATE when the table forbids the move.</exception>
    Task<AlertEvent?> ApplyTransitionAsync(AlertTransition transition, LeaseFence? fence, CancellationToken cancellationToken = default);

    /// <summary>Outbox rows due at <paramref name="now"/> (Unix milliseconds), oldest event first.</summary>
    /// <param name="now">The time.</param>
    /// <param name="maxResults">The most rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PendingDelivery>> DueDeliveriesAsync(long now, int maxResults, CancellationToken cancellationToken = default);

    /// <summary>Logs an attempt and settles its outbox row: removed when delivered or given up, else rescheduled.</summary>
    /// <param name="attempt">What the attempt did.</param>
    /// <param name="fence">The deliverer's lease, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RecordDeliveryAsync(DeliveryAttempt attempt, LeaseFence? fence, CancellationToken cancellationToken = default);
}
