namespace Keel.Core.Serving;

/// <summary>Per-replica rollout statistics, shared through the store (see <see cref="RouteStepStats"/>).</summary>
public interface IServingStatsStore
{
    /// <summary>Stores each row, replacing the same replica's earlier row for the same endpoint, rollout, step, route and role.</summary>
    /// <param name="stats">The rows; validated by the caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task PublishStatsAsync(IReadOnlyList<RouteStepStats> stats, CancellationToken cancellationToken = default);

    /// <summary>Every replica's rows for one rollout, all steps.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="rolloutId">The rollout.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<RouteStepStats>> ReadStatsAsync(string endpoint, string rolloutId, CancellationToken cancellationToken = default);
}
