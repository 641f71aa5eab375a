namespace Keel.Core.Serving;

/// <summary>
/// Limits a challenger must stay within, compared with the champion, at each rollout step. A
/// breach of any one rolls the rollout back.
/// </summary>
/// <param name="MaxErrorRateIncrease">Largest allowed challenger error rate minus champion error rate (0.01 = one point).</param>
/// <param name="MaxP99LatencyRatio">Challenger p99 may be at most this multiple of the champion's p99 ...</param>
/// <param name="P99LatencySlackMs">... plus this many milliseconds, so microsecond-level noise on a fast model is no breach.</param>
/// <param name="MaxDivergence">Largest allowed Jensen–Shannon divergence (base 2, 0..1) between binned prediction distributions.</param>
/// <param name="MinRequests">Requests the challenger must have answered in a step before it is judged. Divergence
/// estimated from few samples is biased upwards (about 0.06 at 50 samples in 8 bins), hence the floor.</param>
public sealed record RolloutPolicy(
    double MaxErrorRateIncrease = 0.01,
    double MaxP99LatencyRatio = 2.0,
    double P99LatencySlackMs = 5.0,
    double MaxDivergence = 0.2,
    long MinRequests = 50)
{
    /// <summary>The defaults.</summary>
    public static RolloutPolicy Default { get; } = new();
}
