namespace Keel.Storage.Postgres;

/// <summary>How a log-batch sends its metric points to PostgreSQL.</summary>
internal enum MetricWriteMode
{
    /// <summary>One INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING, in the same round trip as the rest of the batch.</summary>
    Unnest,

    /// <summary>Binary COPY into a temporary table, then INSERT ... SELECT ... ON CONFLICT DO NOTHING from it.</summary>
    Copy,
}
