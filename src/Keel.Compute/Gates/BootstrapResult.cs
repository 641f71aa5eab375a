namespace Keel.Compute.Gates;

/// <summary>The outcome of <see cref="PairedBootstrap"/>; differences are challenger − champion in the metric's units.</summary>
/// <param name="ObservedDifference">The difference on the evaluation set itself (every row once).</param>
/// <param name="MeanDifference">The mean difference over the resamples where both metrics are defined.</param>
/// <param name="CiLower">Lower end of the percentile interval (linear interpolation, as numpy.percentile).</param>
/// <param name="CiUpper">Upper end of the percentile interval.</param>
/// <param name="PValue">One-sided: the share of all resamples where the challenger is not better (or, with a margin, worse by at least the margin); a resample where a metric is undefined counts against the challenger.</param>
/// <param name="Resamples">Resamples drawn (B).</param>
/// <param name="Undefined">Resamples where either metric was NaN (left out of the mean and the interval).</param>
/// <param name="Confidence">The interval's confidence level.</param>
/// <param name="Margin">The non-inferiority margin used (0 = superiority).</param>
/// <param name="Seed">The generator's seed.</param>
public sealed record BootstrapResult(
    double ObservedDifference,
    double MeanDifference,
    double CiLower,
    double CiUpper,
    double PValue,
    int Resamples,
    int Undefined,
    double Confidence,
    double Margin,
    ulong Seed);
