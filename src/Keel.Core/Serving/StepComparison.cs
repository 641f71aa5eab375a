namespace Keel.Core.Serving;

/// <summary>What a rollout step measured for champion and challenger, and the divergence between them.</summary>
/// <param name="ChampionRequests">Requests the champion answered during the step.</param>
/// <param name="ChallengerRequests">Requests the challenger answered during the step.</param>
/// <param name="ChampionErrorRate">Share of champion requests that failed, 0..1.</param>
/// <param name="ChallengerErrorRate">Share of challenger requests that failed, 0..1.</param>
/// <param name="ChampionP99Ms">Champion 99th-percentile latency, milliseconds.</param>
/// <param name="ChallengerP99Ms">Challenger 99th-percentile latency, milliseconds.</param>
/// <param name="Divergence">Jensen–Shannon divergence (base 2, 0..1) between their prediction distributions.</param>
public sealed record StepComparison(
    long ChampionRequests,
    long ChallengerRequests,
    double ChampionErrorRate,
    double ChallengerErrorRate,
    double ChampionP99Ms,
    double ChallengerP99Ms,
    double Divergence);
