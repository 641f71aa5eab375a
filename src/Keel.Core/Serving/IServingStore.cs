namespace Keel.Core.Serving;

/// <summary>
/// Persistence of serving endpoints, their rollout state and the audit trail. Every write appends
/// its audit event atomically with the change. Implementations may assume validated input.
/// </summary>
public interface IServingStore
{
    /// <summary>Every endpoint, optionally of one environment, ordered by name.</summary>
    /// <param name="environment">dev, staging or prod; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(string? environment, CancellationToken cancellationToken = default);

    /// <summary>The endpoint, or null when there is none of that name.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Endpoint?> FindEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a new endpoint and its <c>endpoint.create</c> audit event.</summary>
    /// <param name="endpoint">The endpoint, validated above the port.</param>
    /// <param name="actor">Who creates it, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_ALREADY_EXISTS when the name is taken.</exception>
    Task CreateEndpointAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an endpoint and records <paramref name="action"/> with the new state, in one
    /// transaction, if it is still at the revision the change was made from: <paramref name="endpoint"/>'s
    /// <see cref="Endpoint.Version"/> must be the stored one plus one. Appends to the change feed.
    /// </summary>
    /// <param name="endpoint">The endpoint as it becomes, at its new revision.</param>
    /// <param name="action">The audit action, e.g. <c>rollout.step</c>.</param>
    /// <param name="detail">Free-text detail for the audit event.</param>
    /// <param name="actor">Who changes it, when known.</param>
    /// <param name="fence">A leader's lease, checked in the same transaction; null for an operator's change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when it does not exist; RESOURCE_CONFLICT when the fence's epoch is no longer current.</exception>
    /// <exception cref="EndpointConflictException">The endpoint is at another revision; carries it as it is.</exception>
    Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, Coordination.LeaseFence? fence = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an endpoint; its audit events are kept.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="actor">Who deletes it, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when it does not exist.</exception>
    Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Changes after <paramref name="after"/> in feed order, at most <paramref name="maxResults"/>.</summary>
    /// <param name="after">The last sequence already applied; 0 for all.</param>
    /// <param name="maxResults">The most changes to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ServingChange>> ChangesSinceAsync(long after, int maxResults, CancellationToken cancellationToken = default);

    /// <summary>The newest sequence in the change feed (0 when empty).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long> LatestChangeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns once a change after <paramref name="after"/> may have been stored (a notification from
    /// any replica), or after <paramref name="timeout"/> at the latest, so a caller that missed a
    /// notification still looks again. True when woken by a notification.
    /// </summary>
    /// <param name="after">The last sequence the caller applied.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    Task<bool> WaitForChangeAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Audit events, newest first, of one endpoint or all.</summary>
    /// <param name="endpoint">The endpoint name, or null for all.</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default);
}
