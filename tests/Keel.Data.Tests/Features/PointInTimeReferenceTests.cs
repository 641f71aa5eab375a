using System.Globalization;
using DuckDB.NET.Data;
using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Data.Tests.Features;

/// <summary>
/// Point-in-time retrieval against values computed by pandas <c>merge_asof</c> (reference/make_reference.py).
/// pandas is the independent reference because Feast itself cannot be installed here (no PyPI);
/// Feast's local offline store is merge_asof with the same arguments. The cases (rows of
/// reference/entities.csv): exact-time match (4), inclusive lower TTL bound (2 matches at exactly
/// ttl, 3 one millisecond later does not; pair on row 2 at exactly 1 h), TTL 0 unbounded (customer,
/// 1,000 days back on row 6), ties on event time broken by the created time and a later-created
/// older row not winning (1, 8), unmatched and before-any-row nulls (5, 6), duplicated entity rows
/// in input order (1 and 7, 2 and 12), two views of one source with different TTLs (driver_hourly,
/// driver_daily on row 3), full feature names, a global view (global_stats), a compound key (pair),
/// and field_mapping renaming a join key (customer: cust -> customer_id).
/// </summary>
public sealed class PointInTimeReferenceTests
{
    [Fact]
    public async Task Plain_names_match_pandas_merge_asof_value_by_value()
    {
        var retrieval = new OfflineRetrieval(ReferenceFeatures.Definitions());
        var table = await retrieval.ReadAsync(new HistoricalRequest(ReferenceFeatures.File("entities.csv"), ReferenceFeatures.RequestPlain));
        AssertEqual(ReferenceFeatures.File("expected_plain.csv"), table, ReferenceFeatures.RequestPlain);
    }

    [Fact]
    public async Task Full_feature_names_and_two_views_with_different_ttls_match_pandas()
    {
        var retrieval = new OfflineRetrieval(ReferenceFeatures.Definitions());
        var table = await retrieval.ReadAsync(new HistoricalRequest(ReferenceFeatures.File("entities.csv"), ReferenceFeatures.RequestFull, FullFeatureNames: true));
        AssertEqual(ReferenceFeatures.File("expected_full.csv"), table, ReferenceFeatures.RequestFull);
    }

    [Fact]
    public async Task Typed_parquet_sources_and_entities_give_the_same_values()
    {
        // The same rows as Parquet with real time types: TIMESTAMPTZ event times, epoch-millisecond
        // created times, a DATE-free TIMESTAMP entity column, so every accepted time shape is read.
        using var dir = new TempDir();
        await using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            await connection.OpenAsync();
            await ExecAsync(connection, "SET TimeZone = 'UTC'");
            foreach (var name in new[] { "drivers", "customers", "global", "pairs" })
            {
                var select = name is "drivers" or "pairs"
                    ? "SELECT * REPLACE (CAST(event_ts AS TIMESTAMPTZ) AS event_ts, epoch_ms(CAST(created AS TIMESTAMPTZ)) AS created)"
                    : "SELECT * REPLACE (CAST(event_ts AS TIMESTAMPTZ) AS event_ts)";
                await ExecAsync(connection, $"COPY ({select} FROM read_csv('{ReferenceFeatures.File(name + ".csv")}', all_varchar = false)) TO '{Path.Combine(dir.Path, name + ".parquet")}' (FORMAT PARQUET)");
            }

            await ExecAsync(connection, $"COPY (SELECT * REPLACE (CAST(CAST(event_timestamp AS TIMESTAMPTZ) AS TIMESTAMP) AS event_timestamp) FROM read_csv('{ReferenceFeatures.File("entities.csv")}')) TO '{Path.Combine(dir.Path, "entities.parquet")}' (FORMAT PARQUET)");
        }

        var retrieval = new OfflineRetrieval(ReferenceFeatures.Definitions(".parquet", dir.Path));
        var table = await retrieval.ReadAsync(new HistoricalRequest(Path.Combine(dir.Path, "entities.parquet"), ReferenceFeatures.RequestFull, FullFeatureNames: true));
        AssertEqual(ReferenceFeatures.File("expected_full.csv"), table, ReferenceFeatures.RequestFull, compareEntityTime: false);
        var times = table.Rows.Select(r => (DateTime)r[2]!).ToList();
        Assert.Equal(new DateTime(2021, 4, 12, 11, 30, 0, DateTimeKind.Utc), DateTime.SpecifyKind(times[0], DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("out.parquet")]
    [InlineData("out.csv")]
    public async Task Written_file_holds_the_entity_columns_then_the_features_in_input_order(string name)
    {
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, name);
        var retrieval = new OfflineRetrieval(ReferenceFeatures.Definitions());
        var summary = await retrieval.WriteAsync(new HistoricalRequest(ReferenceFeatures.File("entities.csv"), ReferenceFeatures.RequestFull, FullFeatureNames: true), output);

        Assert.Equal(13, summary.Rows);
        Assert.Equal(["customer", "driver_hourly", "global_stats", "pair", "driver_daily"], summary.Views.Select(v => v.View));
        Assert.Equal(8, summary.Views.Single(v => v.View == "driver_hourly").Matched); // rows with a conv_rate in expected_full.csv
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT label, driver_hourly__conv_rate FROM '{output}'";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(long Label, double? Rate)>();
        while (await reader.ReadAsync())
        {
            rows.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.IsDBNull(1) ? null : Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture)));
        }

        Assert.Equal([1L, 2, 3, 4, 5, 6, 1, 8, 9, 10, 11, 2, 13], rows.Select(r => r.Label));
        Assert.Equal([0.25, 0.5, null, 0.7, null, null, 0.25, 0.99, 0.25, null, null, 0.5, 0.3], rows.Select(r => r.Rate));
        Assert.Equal(["driver_id", "customer_id", "event_timestamp", "label", "customer__age", "driver_hourly__conv_rate", "global_stats__total", "driver_hourly__trips", "pair__affinity", "customer__segment", "driver_daily__conv_rate"], summary.Columns);
    }

    private static void AssertEqual(string expectedPath, HistoricalTable actual, IReadOnlyList<FeatureReference> request, bool compareEntityTime = true)
    {
        var (header, rows) = ReferenceFeatures.ReadCsv(expectedPath);
        Assert.Equal(header, actual.Columns);
        Assert.Equal(rows.Count, actual.Rows.Count);
        var definitions = ReferenceFeatures.Definitions();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < header.Length; c++)
            {
                var expected = rows[r][c];
                var value = actual.Rows[r][c];
                var where = $"row {r + 1}, column {header[c]}";
                if (c < actual.EntityColumnCount)
                {
                    if (compareEntityTime || header[c] != "event_timestamp")
                    {
                        Assert.True(expected == Convert.ToString(value, CultureInfo.InvariantCulture), $"{where}: expected {expected}, got {value}");
                    }

                    continue;
                }

                var reference = request[c - actual.EntityColumnCount];
                var dtype = definitions.FindView(reference.View)!.Features.Single(f => f.Name == reference.Feature).Dtype;
                if (expected.Length == 0)
                {
                    Assert.True(value is null, $"{where}: expected null, got {value}");
                }
                else if (dtype == FeatureDtype.String)
                {
                    Assert.True(expected == (string?)value, $"{where}: expected {expected}, got {value}");
                }
                else
                {
                    Assert.True(value is long or double, $"{where}: expected a number, got {value?.GetType().Name ?? "null"}");
                    Assert.True(dtype != FeatureDtype.Int64 || value is long, $"{where}: an Int64 feature must come back as long");
                    var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(double.Parse(expected, CultureInfo.InvariantCulture) - number) < 1e-12, $"{where}: expected {expected}, got {value}");
                }
            }
        }
    }

    private static async Task ExecAsync(DuckDBConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
