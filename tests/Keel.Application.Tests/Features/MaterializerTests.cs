using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Microsoft.Extensions.Time.Testing;
using static Keel.Application.Tests.Features.DriverDefinitions;

namespace Keel.Application.Tests.Features;

public sealed class MaterializerTests
{
    private readonly InMemoryFeatureRegistry _registry = new();
    private readonly MemoryOnlineStore _store = new();
    private readonly ListRowSource _source = new();
    private readonly FakeTimeProvider _time = new(T0 + TimeSpan.FromHours(10));
    private readonly Materializer _materializer;

    public MaterializerTests()
    {
        _registry.Set(Create());
        _materializer = new Materializer(_registry, _store, _source, _time);
        _source.Rows["driver_hourly"] =
        [
            Row("1", 1, 0, 0.1), Row("1", 3, 0, 0.3), Row("2", 2, 0, 0.2), Row("2", 2, 5, 0.25), Row("3", 9, 0, 0.9),
        ];
        _source.Rows["customer_profile"] = [new OnlineRow("c", Ms(TimeSpan.FromHours(1)), 0, [1L])];
    }

    [Fact]
    public async Task A_full_run_writes_the_latest_row_per_entity_and_records_the_end_as_watermark()
    {
        var results = await _materializer.RunAsync(new MaterializeRequest(End: T0 + TimeSpan.FromHours(5)));

        Assert.Equal(["driver_hourly", "customer_profile", "driver_city"], results.Select(r => r.View));
        var rows = await _store.ReadAsync("driver_hourly@v1", ["1", "2", "3"]);
        Assert.Equal([0.3, 0.25, null], rows.Select(r => r?.Values[0]));
        var state = (await _registry.GetMaterializationAsync("driver_hourly"))!;
        Assert.Equal((1, Ms(TimeSpan.FromHours(5)), 2L), (state.ViewVersion, state.Watermark, state.Rows));
    }

    [Fact]
    public async Task Rerunning_the_same_window_changes_nothing()
    {
        var request = new MaterializeRequest(["driver_hourly"], End: T0 + TimeSpan.FromHours(10));
        await _materializer.RunAsync(request);
        var changed = _store.RowsChanged;
        var again = await _materializer.RunAsync(request);
        Assert.Equal(changed, _store.RowsChanged);
        Assert.Equal(3, again[0].Rows);
        Assert.Equal(2L, again[0].State!.Revision);
    }

    [Fact]
    public async Task An_incremental_run_starts_at_the_watermark_minus_the_overlap_and_picks_up_late_rows()
    {
        await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], End: T0 + TimeSpan.FromHours(5), Incremental: true));
        Assert.Null(_source.Scans[^1].Start);

        // A row for 4:30 arrives after the run that ended at 5:00: within the 1 hour overlap.
        _source.Rows["driver_hourly"].Add(Row("4", 4.5, 0, 0.45));
        _source.Rows["driver_hourly"].Add(Row("5", 3.5, 0, 0.35));
        var run = await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], Incremental: true));

        Assert.Equal((T0 + TimeSpan.FromHours(4), T0 + TimeSpan.FromHours(10)), (_source.Scans[^1].Start, _source.Scans[^1].End));
        Assert.Equal([0.45, null, 0.9], (await _store.ReadAsync("driver_hourly@v1", ["4", "5", "3"])).Select(r => r?.Values[0]));
        Assert.Equal(Ms(TimeSpan.FromHours(10)), run[0].State!.Watermark);

        // With no new time, the window is empty after the overlap is taken off... but the overlap re-reads the last hour.
        var zeroOverlap = await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], Incremental: true, Overlap: TimeSpan.Zero));
        Assert.Equal("nothing to do: the window is empty", zeroOverlap[0].Skipped);
    }

    [Fact]
    public async Task A_new_view_version_starts_from_scratch_and_drops_the_old_table()
    {
        await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], Incremental: true));
        _registry.Set(Create(), new Dictionary<string, int> { ["driver_hourly"] = 2 });
        var run = await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], Incremental: true));

        Assert.Null(_source.Scans[^1].Start);
        Assert.Equal((2, 3L), (run[0].State!.ViewVersion, run[0].Rows));
        Assert.Equal(["driver_hourly@v1"], _store.Dropped);
        Assert.Equal(0.9, (await _store.ReadAsync("driver_hourly@v2", ["3"]))[0]!.Values[0]);
    }

    [Fact]
    public async Task Progress_is_reported_per_chunk_and_bad_requests_are_refused()
    {
        var reports = new List<MaterializeProgress>();
        await _materializer.RunAsync(new MaterializeRequest(["driver_hourly"], ChunkSize: 1), new SyncProgress(reports.Add));
        Assert.Equal([1L, 2L, 3L], reports.Select(r => r.Rows));

        Assert.Contains("Unknown feature view 'nope'", (await Assert.ThrowsAsync<KeelException>(() => _materializer.RunAsync(new MaterializeRequest(["nope"])))).Message, StringComparison.Ordinal);
        Assert.Contains("on-demand", (await Assert.ThrowsAsync<KeelException>(() => _materializer.RunAsync(new MaterializeRequest(["scaled"])))).Message, StringComparison.Ordinal);
        Assert.Contains("before end", (await Assert.ThrowsAsync<KeelException>(() => _materializer.RunAsync(new MaterializeRequest(Start: T0 + TimeSpan.FromHours(11))))).Message, StringComparison.Ordinal);
        Assert.Contains("overlap", (await Assert.ThrowsAsync<KeelException>(() => _materializer.RunAsync(new MaterializeRequest(Overlap: TimeSpan.FromHours(-1))))).Message, StringComparison.Ordinal);
    }

    private static OnlineRow Row(string key, double hours, long created, double rate) =>
        new(key, Ms(TimeSpan.FromHours(hours)), created, [rate, 1L, "n", true]);

    private sealed class SyncProgress(Action<MaterializeProgress> report) : IProgress<MaterializeProgress>
    {
        public void Report(MaterializeProgress value) => report(value);
    }
}
