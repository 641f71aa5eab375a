using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Data.Tests.Features;

/// <summary>Edges the pandas reference does not cover: missing times, epoch and date columns, text join keys against numbers.</summary>
public sealed class PointInTimeEdgeTests
{
    [Fact]
    public async Task A_missing_created_time_counts_as_the_oldest_and_a_missing_entity_time_matches_nothing()
    {
        using var dir = new TempDir();
        var source = Path.Combine(dir.Path, "s.csv");
        await File.WriteAllTextAsync(source, "id,ts,created,x\n1,2021-01-01 00:00:00,,1.0\n1,2021-01-01 00:00:00,2021-01-01 00:00:01,2.0\n2,2021-01-01 00:00:00,,3.0\n");
        var entities = Path.Combine(dir.Path, "e.csv");
        await File.WriteAllTextAsync(entities, "id,event_timestamp\n1,2021-01-01 00:00:00\n1,\n2,2021-01-02 00:00:00\n");
        var definitions = Definitions(source, "ts", "created", TimeSpan.Zero);

        var table = await new OfflineRetrieval(definitions).ReadAsync(new HistoricalRequest(entities, [new("v", "x")]));

        Assert.Equal([2.0, null, 3.0], table.Rows.Select(r => r[2]));
    }

    [Fact]
    public async Task Epoch_milliseconds_and_dates_are_read_as_utc_times()
    {
        using var dir = new TempDir();
        var source = Path.Combine(dir.Path, "s.csv");

        // 1609459200000 ms = 2021-01-01T00:00:00Z; 1609462800 s = 01:00Z.
        await File.WriteAllTextAsync(source, "id,ts,x\n1,1609459200000,1.0\n1,1609462800,2.0\n");
        var entities = Path.Combine(dir.Path, "e.csv");
        await File.WriteAllTextAsync(entities, "id,event_timestamp\n1,2021-01-01T00:30:00Z\n1,2021-01-01T01:00:00+00:00\n1,2021-01-01T02:00:00+01:00\n");
        var definitions = Definitions(source, "ts", null, TimeSpan.FromHours(1));

        var table = await new OfflineRetrieval(definitions).ReadAsync(new HistoricalRequest(entities, [new("v", "x")]));

        // 02:00+01:00 is 01:00Z: the 01:00Z row, exactly.
        Assert.Equal([1.0, 2.0, 2.0], table.Rows.Select(r => r[2]));
    }

    private static FeatureDefinitions Definitions(string path, string ts, string? created, TimeSpan ttl) => new(
        [new FeatureEntity("e", ["id"])],
        [new FeatureSource("s", path, ts, created)],
        [new FeatureView("v", ["e"], "s", ttl, [new("x", FeatureDtype.Float64)])],
        [],
        []);
}
