namespace Keel.Compute.Gates;

/// <summary>Settings of <see cref="PairedBootstrap"/>.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Number of resamples (B); default 1000.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Seed of the SplitMix64 generator that draws the rows; the same seed gives the same resamples on every platform.</summary>
    public ulong Seed { get; init; }

    /// <summary>Two-sided confidence level of the percentile interval; default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>
    /// Non-inferiority margin (≥ 0, in the metric's units): the p-value counts resamples where the
    /// challenger is worse by at least this much. 0 (the default) tests superiority: the p-value
    /// counts resamples where the challenger is not better.
    /// </summary>
    public double Margin { get; init; }

    /// <summary>Defaults: 1000 resamples, seed 0, 95% interval, superiority.</summary>
    public static BootstrapOptions Default { get; } = new();
}
