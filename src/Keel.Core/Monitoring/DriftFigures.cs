namespace Keel.Core.Monitoring;

/// <summary>Dataset drift in a window, in Evidently's terms.</summary>
/// <param name="Reference">The reference dataset version.</param>
/// <param name="DatasetDrift">True when the share of drifted columns reaches the drift share.</param>
/// <param name="NumberOfColumns">Columns compared.</param>
/// <param name="NumberOfDriftedColumns">Columns whose test detected drift.</param>
/// <param name="ShareOfDriftedColumns">Drifted over compared.</param>
/// <param name="DriftShare">The share that makes dataset drift.</param>
/// <param name="Columns">Per-column results.</param>
public sealed record DriftFigures(
    string? Reference,
    bool DatasetDrift,
    int NumberOfColumns,
    int NumberOfDriftedColumns,
    double ShareOfDriftedColumns,
    double DriftShare,
    IReadOnlyList<ColumnDriftFigures> Columns);
