using Parquet.Schema;

namespace Keel.Serving.Logging;

/// <summary>
/// The columns of a prediction log object. Endpoint, date and hour are not among them: they are the
/// object's partition directories, which readers (DuckDB, pandas, Spark) turn into columns.
/// </summary>
internal static class ParquetPredictionSchema
{
    public static readonly DateTimeDataField Timestamp = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    public static readonly DataField<string> RequestId = new("request_id", nullable: false);
    public static readonly DataField<string> Version = new("version", nullable: false);
    public static readonly DataField<string> Role = new("role", nullable: false);
    public static readonly DataField<long> LatencyMicros = new("latency_us", nullable: false);
    public static readonly DataField<string> Inputs = new("inputs", nullable: false);
    public static readonly DataField<string> Outputs = new("outputs", nullable: true);
    public static readonly DataField<string> Error = new("error", nullable: true);

    public static readonly ParquetSchema Schema = new(Timestamp, RequestId, Version, Role, LatencyMicros, Inputs, Outputs, Error);
}
