namespace Keel.Data.Profiling;

/// <summary>One quantile of a numeric column (linear interpolation, like pandas' default).</summary>
/// <param name="Quantile">The probability, e.g. 0.25.</param>
/// <param name="Value">The column's value at that quantile.</param>
public sealed record QuantileValue(double Quantile, double Value);
