namespace Keel.Data.Tables;

/// <summary>The tabular file formats Keel profiles and validates.</summary>
public enum TableFormat
{
    /// <summary>Comma-separated values with a header row (<c>.csv</c>, <c>.tsv</c>, optionally gzip-compressed).</summary>
    Csv,

    /// <summary>Apache Parquet (<c>.parquet</c>, <c>.pq</c>).</summary>
    Parquet,

    /// <summary>One JSON object per line (<c>.jsonl</c>, <c>.ndjson</c>).</summary>
    JsonLines,
}
