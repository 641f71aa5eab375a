namespace Keel.Storage.Postgres;

/// <summary>How a log-batch sends its metric points to PostgreSQL.</summary>
internal enum MetricWriteMode
{
    /// <summary>One INSERT ... SELECT unnest(arrays) ON CONFLICT DO NOTHING, in the same round trip as the rest of the batch.</summary>
    Unnest,

    /// <summary>
    /// The same INSERT without ON CONFLICT (each row skips the speculative-insertion dance), so a
    /// batch repeating a stored point fails and is written again with <see cref="Unnest"/>.
    /// </summary>
    Insert,

    /// <summary>
    /// Binary COPY straight into the metrics table after the rest of the batch: no conflict check
    /// per row, so a batch repeating a stored point fails and is written again with <see cref="Unnest"/>.
    /// </summary>
    Copy,
}
