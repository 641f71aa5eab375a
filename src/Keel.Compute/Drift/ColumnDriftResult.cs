namespace Keel.Compute.Drift;

/// <summary>One column's drift verdict, stating how it was reached.</summary>
public sealed record ColumnDriftResult
{
    /// <summary>Column name.</summary>
    public required string Column { get; init; }

    /// <summary>"num" or "cat", as Evidently names column types.</summary>
    public required string ColumnType { get; init; }

    /// <summary>The method, by Evidently's stattest name (see <see cref="StatTests"/>).</summary>
    public required string StatTest { get; init; }

    /// <summary>The p-value for a test, the distance for a distance.</summary>
    public required double DriftScore { get; init; }

    /// <summary>The threshold applied.</summary>
    public required double Threshold { get; init; }

    /// <summary>Whether the column drifted.</summary>
    public required bool DriftDetected { get; init; }

    /// <summary>How values were binned, e.g. "sturges: 21 bins over reference+current", "one bin per value", "none (raw values)".</summary>
    public required string Binning { get; init; }

    /// <summary>Whether the score is what Evidently computes on the same raw data (false for approximations from summaries).</summary>
    public required bool Exact { get; init; }

    /// <summary>Non-missing reference values.</summary>
    public required long ReferenceCount { get; init; }

    /// <summary>Non-missing current values.</summary>
    public required long CurrentCount { get; init; }

    /// <summary>Reference and current distributions for plotting.</summary>
    public required DriftHistogram Histogram { get; init; }
}
