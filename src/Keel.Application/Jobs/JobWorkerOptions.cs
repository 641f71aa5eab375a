namespace Keel.Application.Jobs;

/// <summary>Settings of a <see cref="JobWorker"/>.</summary>
/// <param name="WorkerId">Recorded as the lease owner of the jobs it takes; unique per worker process.</param>
/// <param name="Concurrency">Jobs run at the same time.</param>
/// <param name="LeaseDuration">Lease taken (and renewed by heartbeats every third of it); a dead worker's job is delivered again after this.</param>
/// <param name="PollInterval">Wait after finding no ready job before asking again.</param>
/// <param name="DrainTimeout">On stop, how long running jobs may take to finish before they are cancelled and released.</param>
public sealed record JobWorkerOptions(
    string WorkerId,
    int Concurrency = 1,
    TimeSpan? LeaseDuration = null,
    TimeSpan? PollInterval = null,
    TimeSpan? DrainTimeout = null)
{
    public TimeSpan Lease => LeaseDuration ?? TimeSpan.FromSeconds(60);

    public TimeSpan Poll => PollInterval ?? TimeSpan.FromSeconds(1);

    public TimeSpan Drain => DrainTimeout ?? TimeSpan.FromSeconds(30);
}
