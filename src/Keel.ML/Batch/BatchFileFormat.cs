namespace Keel.ML.Batch;

/// <summary>File formats the batch predictor reads and writes.</summary>
public enum BatchFileFormat
{
    /// <summary>Comma-separated values with a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>Apache Parquet, processed row group by row group.</summary>
    Parquet,

    /// <summary>JSON Lines (one record per line, streamed) or, for <c>.json</c>, one MLflow scoring request.</summary>
    Json,
}
