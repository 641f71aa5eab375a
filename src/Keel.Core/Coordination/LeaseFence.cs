namespace Keel.Core.Coordination;

/// <summary>
/// A held lease: <paramref name="Holder"/> leads <paramref name="Name"/> in epoch
/// <paramref name="Epoch"/>. Every write the leader makes passes it, and the store checks in the same
/// transaction that the epoch is still current, so a leader that lost its lease (paused, cut off,
/// killed and replaced) cannot apply a stale decision.
/// </summary>
/// <param name="Name">The singleton job, e.g. <c>rollout-controller</c>.</param>
/// <param name="Holder">The replica holding it.</param>
/// <param name="Epoch">Raised each time the lease changes hands.</param>
public sealed record LeaseFence(string Name, string Holder, long Epoch);
