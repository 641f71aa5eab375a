using System.Globalization;
using Keel.Core.Serving;

namespace Keel.Compute.Serving;

/// <summary>Decides whether a rollout step's measurements breach the endpoint's policy.</summary>
public static class RolloutJudge
{
    /// <summary>The first limit the challenger breaches, in words for the rollout history; null when it passes.</summary>
    public static string? FindBreach(RolloutPolicy policy, StepComparison c)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(c);
        var inv = CultureInfo.InvariantCulture;
        var errorIncrease = c.ChallengerErrorRate - c.ChampionErrorRate;
        if (errorIncrease > policy.MaxErrorRateIncrease)
        {
            return string.Format(inv, "error rate {0:P2} vs champion {1:P2} exceeds the allowed increase of {2:P2}", c.ChallengerErrorRate, c.ChampionErrorRate, policy.MaxErrorRateIncrease);
        }

        var p99Limit = (c.ChampionP99Ms * policy.MaxP99LatencyRatio) + policy.P99LatencySlackMs;
        if (c.ChallengerP99Ms > p99Limit)
        {
            return string.Format(inv, "p99 latency {0:F2} ms vs champion {1:F2} ms exceeds the limit of {2:F2} ms", c.ChallengerP99Ms, c.ChampionP99Ms, p99Limit);
        }

        if (c.Divergence > policy.MaxDivergence)
        {
            return string.Format(inv, "prediction divergence (Jensen-Shannon) {0:F3} exceeds the limit of {1:F3}", c.Divergence, policy.MaxDivergence);
        }

        return null;
    }
}
