namespace Keel.Core.Monitoring;

/// <summary>One column's drift test.</summary>
/// <param name="Column">Column name.</param>
/// <param name="ColumnType"><c>num</c> or <c>cat</c>.</param>
/// <param name="Stattest">The test, by Evidently's name.</param>
/// <param name="DriftScore">The p-value for a test, the distance for a distance.</param>
/// <param name="Threshold">The threshold it was judged against.</param>
/// <param name="DriftDetected">Whether the column drifted.</param>
/// <param name="Binning">How the values were binned.</param>
/// <param name="Exact">False when the score is approximated from binned summaries.</param>
/// <param name="CurrentCount">Values in the window.</param>
public sealed record ColumnDriftFigures(
    string Column,
    string ColumnType,
    string Stattest,
    double DriftScore,
    double Threshold,
    bool DriftDetected,
    string Binning,
    bool Exact,
    long CurrentCount);
