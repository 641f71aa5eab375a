namespace Keel.Compute.Gates;

/// <summary>The outcome of <see cref="DeLongTest"/>.</summary>
/// <param name="Positives">Rows labelled positive (m).</param>
/// <param name="Negatives">Rows labelled negative (n).</param>
/// <param name="ChampionAuc">The champion's ROC AUC (ties count one half).</param>
/// <param name="ChallengerAuc">The challenger's ROC AUC.</param>
/// <param name="Difference">ChallengerAuc − ChampionAuc.</param>
/// <param name="ChampionVariance">DeLong's variance estimate of the champion's AUC.</param>
/// <param name="ChallengerVariance">DeLong's variance estimate of the challenger's AUC.</param>
/// <param name="Covariance">DeLong's covariance estimate of the two AUCs.</param>
/// <param name="StandardError">√(var₁ + var₂ − 2·cov), the standard error of the difference.</param>
/// <param name="Z">Difference / StandardError (0 when both are 0, ±∞ when only the error is 0).</param>
/// <param name="PValue">Two-sided normal p-value of "the AUCs are equal": 2·(1 − Φ(|z|)).</param>
public sealed record DeLongResult(
    long Positives,
    long Negatives,
    double ChampionAuc,
    double ChallengerAuc,
    double Difference,
    double ChampionVariance,
    double ChallengerVariance,
    double Covariance,
    double StandardError,
    double Z,
    double PValue);
