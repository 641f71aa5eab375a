namespace Keel.Core.Serving;

/// <summary>What a rollout step measured for champion and challenger, and the divergence between them.</summary>
public sealed record StepComparison(
    long ChampionRequests,
    long ChallengerRequests,
    double ChampionErrorRate,
    double ChallengerErrorRate,
    double ChampionP99Ms,
    double ChallengerP99Ms,
    double Divergence);
