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

    /// <summary>Replaces an endpoint and records <paramref name="action"/> with the new state, in one transaction.</summary>
    /// <param name="endpoint">The endpoint as it becomes.</param>
    /// <param name="action">The audit action, e.g. <c>rollout.step</c>.</param>
    /// <param name="detail">Free-text detail for the audit event.</param>
    /// <param name="actor">Who changes it, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when it does not exist.</exception>
    Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes an endpoint; its audit events are kept.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="actor">Who deletes it, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when it does not exist.</exception>
    Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Audit events, newest first, of one endpoint or all.</summary>
    /// <param name="endpoint">The endpoint name, or null for all.</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default);
}
