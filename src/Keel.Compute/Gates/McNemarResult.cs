namespace Keel.Compute.Gates;

/// <summary>The outcome of <see cref="McNemarTest"/>.</summary>
/// <param name="ChallengerOnlyCorrect">b: rows the challenger got right and the champion wrong.</param>
/// <param name="ChampionOnlyCorrect">c: rows the champion got right and the challenger wrong.</param>
/// <param name="Method">The method used: <see cref="McNemarMethod.Exact"/> or <see cref="McNemarMethod.ChiSquare"/>, never Auto.</param>
/// <param name="Statistic">Exact: min(b, c). Chi-square: (|b − c| − 1)² / (b + c), 0 when b + c = 0.</param>
/// <param name="PValue">Two-sided p-value of "both models are right equally often".</param>
public sealed record McNemarResult(long ChallengerOnlyCorrect, long ChampionOnlyCorrect, McNemarMethod Method, double Statistic, double PValue)
{
    /// <summary>True when the challenger is right on more of the discordant rows than the champion.</summary>
    public bool ChallengerBetter => ChallengerOnlyCorrect > ChampionOnlyCorrect;
}
