using System.Text.Json.Nodes;

namespace Keel.Data.Profiling;

/// <summary>The statistics of one column. Statistics that do not apply to the column's type are null.</summary>
/// <param name="Name">Column name.</param>
/// <param name="LogicalType"><c>integer</c>, <c>float</c>, <c>boolean</c>, <c>string</c>, <c>date</c> or <c>timestamp</c>.</param>
/// <param name="PhysicalType">The engine's type, e.g. <c>BIGINT</c>, <c>DOUBLE</c>, <c>VARCHAR</c>.</param>
/// <param name="Count">Non-null values.</param>
/// <param name="NullCount">Null values.</param>
/// <param name="DistinctCount">Distinct non-null values.</param>
/// <param name="DistinctExact">Whether <paramref name="DistinctCount"/> is exact (false: a HyperLogLog estimate).</param>
/// <param name="Min">Smallest value (numbers as numbers, others as strings; text compares by code point).</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Mean of numeric values (share of true for booleans).</param>
/// <param name="Std">Sample standard deviation (n - 1) of numeric values.</param>
/// <param name="Quantiles">p1, p5, p25, p50, p75, p95, p99 of numeric values (linear interpolation).</param>
/// <param name="Histogram">Equal-width histogram of numeric values.</param>
/// <param name="TopValues">Most frequent values, most frequent first (ties by value), for categorical columns.</param>
/// <param name="MinLength">Shortest text, in UTF-8 bytes (strings only).</param>
/// <param name="MaxLength">Longest text, in UTF-8 bytes (strings only).</param>
/// <param name="MeanLength">Mean text length in UTF-8 bytes (strings only).</param>
/// <param name="NonFiniteCount">NaN and infinite values of float columns (left out of the numeric statistics).</param>
/// <param name="QuantilesExact">Whether the quantiles are over every value (false: from a 100,000-value reservoir per column, so close but not repeatable to the last digit).</param>
public sealed record ColumnProfile(
    string Name,
    string LogicalType,
    string PhysicalType,
    long Count,
    long NullCount,
    long DistinctCount,
    bool DistinctExact,
    JsonNode? Min = null,
    JsonNode? Max = null,
    double? Mean = null,
    double? Std = null,
    IReadOnlyList<QuantileValue>? Quantiles = null,
    Histogram? Histogram = null,
    IReadOnlyList<ValueCount>? TopValues = null,
    long? MinLength = null,
    long? MaxLength = null,
    double? MeanLength = null,
    long? NonFiniteCount = null,
    bool? QuantilesExact = null);
