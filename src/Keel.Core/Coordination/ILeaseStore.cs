namespace Keel.Core.Coordination;

/// <summary>
/// Leases for singleton jobs across replicas (the rollout controller, later the scheduler and the
/// alert evaluator). A lease is held until it expires unless renewed; when it changes hands its epoch
/// rises, and writes fenced by an older epoch are refused (see <see cref="LeaseFence"/>).
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> for
    /// <paramref name="duration"/>: it succeeds when the lease is free, expired, or already this
    /// holder's (a renewal keeps the epoch). Returns the fence to pass with each write, or null while
    /// another holder's lease is live.
    /// </summary>
    /// <param name="name">The singleton job.</param>
    /// <param name="holder">This replica's id.</param>
    /// <param name="duration">How long the lease lasts without renewal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LeaseFence?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up at once (a clean shutdown), so another replica need not wait for it to expire. A lease held by someone else is left alone.</summary>
    /// <param name="fence">The lease as held.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReleaseAsync(LeaseFence fence, CancellationToken cancellationToken = default);
}
