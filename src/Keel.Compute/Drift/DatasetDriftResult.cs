namespace Keel.Compute.Drift;

/// <summary>Drift over a set of columns: dataset drift when the share of drifted columns reaches the drift share.</summary>
public sealed record DatasetDriftResult
{
    /// <summary>Whether the dataset drifted.</summary>
    public required bool DatasetDrift { get; init; }

    /// <summary>Columns compared.</summary>
    public required int NumberOfColumns { get; init; }

    /// <summary>Columns that drifted.</summary>
    public required int NumberOfDriftedColumns { get; init; }

    /// <summary>Drifted columns / columns (0 when there are none).</summary>
    public required double ShareOfDriftedColumns { get; init; }

    /// <summary>The drift share applied.</summary>
    public required double DriftShare { get; init; }

    /// <summary>Per-column results, in input order.</summary>
    public required IReadOnlyList<ColumnDriftResult> Columns { get; init; }

    /// <summary>Evidently's dataset rule over already computed column results.</summary>
    public static DatasetDriftResult FromColumns(IReadOnlyList<ColumnDriftResult> columns, double driftShare)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var drifted = columns.Count(c => c.DriftDetected);
        var share = columns.Count == 0 ? 0 : (double)drifted / columns.Count;
        return new DatasetDriftResult
        {
            DatasetDrift = columns.Count > 0 && share >= driftShare,
            NumberOfColumns = columns.Count,
            NumberOfDriftedColumns = drifted,
            ShareOfDriftedColumns = share,
            DriftShare = driftShare,
            Columns = columns,
        };
    }
}
