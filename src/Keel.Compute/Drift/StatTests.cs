using System.Collections.Frozen;

namespace Keel.Compute.Drift;

/// <summary>
/// The drift methods by Evidently's stattest names, with the facts Evidently registers for each:
/// which column types it applies to, its default threshold, and whether its score is a p-value
/// (drift below the threshold) or a distance (drift at or above it).
/// </summary>
public static class StatTests
{
    /// <summary>Two-sample Kolmogorov–Smirnov p-value (numeric only); drift when p ≤ threshold.</summary>
    public const string Ks = "ks";

    /// <summary>Chi-square p-value on category counts; drift when p &lt; threshold.</summary>
    public const string ChiSquare = "chisquare";

    /// <summary>Z-test for two proportions (first category vs the rest); drift when p &lt; threshold.</summary>
    public const string Z = "z";

    /// <summary>Wasserstein distance normed by the reference's standard deviation (numeric only).</summary>
    public const string Wasserstein = "wasserstein";

    /// <summary>Population stability index on binned shares.</summary>
    public const string Psi = "psi";

    /// <summary>Kullback–Leibler divergence of reference from current binned shares.</summary>
    public const string KlDiv = "kl_div";

    /// <summary>Jensen–Shannon distance (natural log) on binned shares.</summary>
    public const string JensenShannon = "jensenshannon";

    /// <summary>Hellinger distance.</summary>
    public const string Hellinger = "hellinger";

    private static readonly FrozenDictionary<string, (bool Num, bool Cat, bool PValue)> Registry =
        new Dictionary<string, (bool, bool, bool)>(StringComparer.Ordinal)
        {
            [Ks] = (true, false, true),
            [ChiSquare] = (false, true, true),
            [Z] = (false, true, true),
            [Wasserstein] = (true, false, false),
            [Psi] = (true, true, false),
            [KlDiv] = (true, true, false),
            [JensenShannon] = (true, true, false),
            [Hellinger] = (true, true, false),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every method name, in a stable order for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [Ks, ChiSquare, Z, Wasserstein, Psi, KlDiv, JensenShannon, Hellinger];

    /// <summary>Whether <paramref name="name"/> is one of the eight methods.</summary>
    public static bool IsKnown(string name) => Registry.ContainsKey(name);

    /// <summary>Whether the method's score is a p-value (otherwise a distance).</summary>
    public static bool IsPValue(string name) => Lookup(name).PValue;

    /// <summary>Evidently's default threshold: 0.05 for p-value tests, 0.1 for distances.</summary>
    public static double DefaultThreshold(string name) => Lookup(name).PValue ? 0.05 : 0.1;

    /// <summary>
    /// Whether Evidently lets a user choose the method for this column type (ks and wasserstein are
    /// numeric only; chisquare and z categorical only, though the automatic choice also applies
    /// them to numeric columns with few values).
    /// </summary>
    public static bool AppliesTo(string name, DriftColumnType type) =>
        type == DriftColumnType.Numerical ? Lookup(name).Num : Lookup(name).Cat;

    /// <summary>Whether a score means drift: p ≤ t for ks, p &lt; t for the other tests, d ≥ t for distances.</summary>
    public static bool Detects(string name, double score, double threshold)
    {
        if (double.IsNaN(score))
        {
            return false;
        }

        if (name == Ks)
        {
            return score <= threshold;
        }

        return IsPValue(name) ? score < threshold : score >= threshold;
    }

    private static (bool Num, bool Cat, bool PValue) Lookup(string name) =>
        Registry.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown drift method '{name}'; expected one of {string.Join(", ", All)}.", nameof(name));
}
