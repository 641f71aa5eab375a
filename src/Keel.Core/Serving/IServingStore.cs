namespace Keel.Core.Serving;

/// <summary>
/// Persistence of serving endpoints, their rollout state and the audit trail. Every write appends
/// its audit event atomically with the change. Implementations may assume validated input.
/// </summary>
public interface IServingStore
{
    /// <summary>Every endpoint, optionally of one environment, by name.</summary>
    Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(string? environment, CancellationToken cancellationToken = default);

    /// <summary>The endpoint, or null.</summary>
    Task<Endpoint?> FindEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates an endpoint; <see cref="Errors.ErrorCode.ResourceAlreadyExists"/> when the name is taken.</summary>
    Task CreateEndpointAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces an endpoint and records <paramref name="action"/>; not found when it does not exist.</summary>
    Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes an endpoint; not found when it does not exist.</summary>
    Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Audit events, newest first, of one endpoint or all.</summary>
    Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default);
}
