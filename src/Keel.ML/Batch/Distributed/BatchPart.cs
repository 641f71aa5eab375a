namespace Keel.ML.Batch.Distributed;

/// <summary>One part of a batch scored by a worker: a run of Parquet row groups or of CSV data rows.</summary>
/// <param name="Index">Position of the part in the input (0-based); the output is assembled in this order.</param>
/// <param name="First">First row group (Parquet) or data row (CSV) of the part.</param>
/// <param name="Count">Row groups (Parquet) or data rows (CSV) in the part.</param>
/// <param name="Rows">Data rows in the part.</param>
public sealed record BatchPart(int Index, long First, long Count, long Rows);
