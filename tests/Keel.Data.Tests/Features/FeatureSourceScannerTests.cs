using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Data.Tests.Features;

/// <summary>The materialization read side over the reference sources (see reference/make_reference.py).</summary>
public sealed class FeatureSourceScannerTests
{
    private static readonly DateTimeOffset Base = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Latest_row_per_entity_wins_by_event_time_then_created_time()
    {
        var definitions = ReferenceFeatures.Definitions();
        var rows = await ScanAsync(definitions, "driver_hourly", null, Base.AddHours(1.5), chunkSize: 100);

        // 1001 at 1.5 h: the 1 h tie goes to the later created row (0.25), not the 0.5 h row created at 20:00.
        var byKey = rows.ToDictionary(r => r.EntityKey);
        Assert.Equal(["1001", "1002"], byKey.Keys.Order());
        Assert.Equal([0.25, 3L], byKey["1001"].Values);
        Assert.Equal(Base.AddHours(1).ToUnixTimeMilliseconds(), byKey["1001"].EventTimestamp);
        Assert.Equal(Base.AddHours(1).AddMinutes(5).ToUnixTimeMilliseconds(), byKey["1001"].CreatedTimestamp);
        Assert.Equal([0.5, 10L], byKey["1002"].Values);
    }

    [Fact]
    public async Task The_window_excludes_its_start_and_includes_its_end()
    {
        var definitions = ReferenceFeatures.Definitions();
        var rows = await ScanAsync(definitions, "driver_hourly", Base, Base.AddHours(3), chunkSize: 100);

        // 1002's only row is at exactly the start: excluded. 1003's only row is at exactly the end: included.
        Assert.Equal(["1001", "1003"], rows.Select(r => r.EntityKey).Order());
        Assert.Equal([0.30, 4L], rows.Single(r => r.EntityKey == "1001").Values);
    }

    [Fact]
    public async Task Compound_keys_mapped_keys_and_global_views_make_the_online_keys()
    {
        var definitions = ReferenceFeatures.Definitions();
        var pairs = await ScanAsync(definitions, "pair", null, Base.AddDays(1), chunkSize: 1);
        Assert.Equal(["1001\u001fc1", "1001\u001fc2", "1002\u001fc1"], pairs.Select(r => r.EntityKey).Order());
        Assert.Equal(EntityKeys.Of([1001L, "c1"]), pairs.Select(r => r.EntityKey).Order().First());

        var customers = await ScanAsync(definitions, "customer", null, Base.AddDays(1), chunkSize: 100);
        Assert.Equal([40L, "bronze"], customers.Single(r => r.EntityKey == "c2").Values);
        Assert.All(customers, r => Assert.Equal(0, r.CreatedTimestamp));

        var global = Assert.Single(await ScanAsync(definitions, "global_stats", null, Base.AddDays(1), chunkSize: 100));
        Assert.Equal(string.Empty, global.EntityKey);
        Assert.Equal([3.0], global.Values);
    }

    [Fact]
    public async Task Rows_come_in_chunks_of_at_most_the_chunk_size()
    {
        var definitions = ReferenceFeatures.Definitions();
        var scanner = new FeatureSourceScanner();
        var sizes = new List<int>();
        await foreach (var chunk in scanner.LatestRowsAsync(definitions, definitions.FindView("pair")!, null, Base.AddDays(1), 2, CancellationToken.None))
        {
            sizes.Add(chunk.Count);
        }

        Assert.Equal([2, 1], sizes);
    }

    [Fact]
    public async Task A_missing_column_is_named_with_its_source()
    {
        var definitions = ReferenceFeatures.Definitions();
        var view = definitions.FindView("driver_hourly")! with { Features = [new("speed", FeatureDtype.Float64)] };
        var error = await Assert.ThrowsAsync<Keel.Core.Errors.KeelException>(async () =>
        {
            await foreach (var _ in new FeatureSourceScanner().LatestRowsAsync(definitions, view, null, Base, 10, CancellationToken.None))
            {
            }
        });
        Assert.Contains("Source 'drivers'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'speed'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<OnlineRow>> ScanAsync(FeatureDefinitions definitions, string view, DateTimeOffset? start, DateTimeOffset end, int chunkSize)
    {
        var rows = new List<OnlineRow>();
        await foreach (var chunk in new FeatureSourceScanner().LatestRowsAsync(definitions, definitions.FindView(view)!, start, end, chunkSize, CancellationToken.None))
        {
            rows.AddRange(chunk);
        }

        return rows;
    }
}
