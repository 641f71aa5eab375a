using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Application.Tests.Features;

/// <summary>On-demand features computed offline (training data) and online (serving) from the same rows agree.</summary>
public sealed class OnDemandFeatureTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-odfv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FeatureDefinitions Definitions(string source) => new(
        [new FeatureEntity("driver", ["driver_id"])],
        [new FeatureSource("stats", source, "event_timestamp", "created")],
        [new FeatureView("driver_hourly_stats", ["driver"], "stats", TimeSpan.FromHours(2), [new("conv_rate", FeatureDtype.Float32), new("avg_daily_trips", FeatureDtype.Int64)])],
        [new OnDemandFeatureView(
            "transformed_conv_rate",
            ["driver_hourly_stats"],
            [new FeatureField("val_to_add", FeatureDtype.Int64)],
            [
                new OnDemandFeature("conv_rate_plus_val", FeatureDtype.Float64, "conv_rate + val_to_add"),
                new OnDemandFeature("busy", FeatureDtype.Bool, "avg_daily_trips >= 10"),
            ])],
        [new FeatureService("driver_activity", [new("driver_hourly_stats", "avg_daily_trips"), new("transformed_conv_rate", "conv_rate_plus_val"), new("transformed_conv_rate", "busy")])]);

    [Fact]
    public async Task Offline_retrieval_and_online_reads_compute_the_same_on_demand_values_expiry_included()
    {
        var source = Path.Combine(_dir, "stats.csv");
        await File.WriteAllTextAsync(source, string.Join('\n',
            "driver_id,event_timestamp,created,conv_rate,avg_daily_trips",
            "1001,2021-04-12T09:00:00Z,2021-04-12T09:00:00Z,0.5,12",
            "1002,2021-04-12T09:30:00Z,2021-04-12T09:30:00Z,0.25,3",
            "1003,2021-04-12T07:00:00Z,2021-04-12T07:00:00Z,0.75,20") + "\n");
        var entities = Path.Combine(_dir, "entities.csv");
        await File.WriteAllTextAsync(entities, string.Join('\n',
            "driver_id,event_timestamp,val_to_add",
            "1001,2021-04-12T10:00:00Z,10",
            "1002,2021-04-12T10:00:00Z,1",
            "1003,2021-04-12T10:00:00Z,5",
            "1004,2021-04-12T10:00:00Z,7") + "\n");
        var definitions = Definitions(source);
        var service = definitions.FindService("driver_activity")!;

        var offline = await new OfflineRetrieval(definitions).ReadAsync(new HistoricalRequest(entities, service.Features));

        Assert.Equal(["driver_id", "event_timestamp", "val_to_add", "avg_daily_trips", "conv_rate_plus_val", "busy"], offline.Columns);
        // 1003's row is 3 h old: expired under the 2 h TTL, so the expression sees null and gives null.
        Assert.Equal([12L, 3L, null, null], offline.Rows.Select(r => r[3]));
        Assert.Equal([10.5, 1.25, null, null], offline.Rows.Select(r => r[4]));
        Assert.Equal([true, false, null, null], offline.Rows.Select(r => r[5]));

        var registry = new InMemoryFeatureRegistry();
        registry.Set(definitions);
        var store = new MemoryOnlineStore();
        await new Materializer(registry, store, new ScannerRowSource()).RunAsync(new MaterializeRequest(End: T));
        var online = await new OnlineFeatureService(registry, store).GetOnlineFeaturesAsync(
            null, "driver_activity",
            new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L, 1003L, 1004L], ["val_to_add"] = [10L, 1L, 5L, 7L] },
            at: T);

        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(offline.Rows.Select(r => r[3 + c]), online.Values[c]);
        }

        Assert.Equal([OnlineValueStatus.Present, OnlineValueStatus.Present, OnlineValueStatus.Expired, OnlineValueStatus.NotFound], online.Statuses[0]);
        Assert.Equal([OnlineValueStatus.Present, OnlineValueStatus.Present, OnlineValueStatus.NullValue, OnlineValueStatus.NullValue], online.Statuses[1]);
    }

    [Fact]
    public async Task A_missing_request_field_is_refused_naming_it_on_both_paths()
    {
        var source = Path.Combine(_dir, "stats.csv");
        await File.WriteAllTextAsync(source, "driver_id,event_timestamp,created,conv_rate,avg_daily_trips\n1001,2021-04-12T09:00:00Z,2021-04-12T09:00:00Z,0.5,12\n");
        var entities = Path.Combine(_dir, "entities.csv");
        await File.WriteAllTextAsync(entities, "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n");
        var definitions = Definitions(source);

        var offline = await Assert.ThrowsAsync<KeelException>(() => new OfflineRetrieval(definitions).ReadAsync(new HistoricalRequest(entities, [new("transformed_conv_rate", "conv_rate_plus_val")])));
        Assert.Contains("'val_to_add'", offline.Message, StringComparison.Ordinal);

        var registry = new InMemoryFeatureRegistry();
        registry.Set(definitions);
        var online = await Assert.ThrowsAsync<KeelException>(async () => await new OnlineFeatureService(registry, new MemoryOnlineStore()).GetOnlineFeaturesAsync(
            ["transformed_conv_rate:conv_rate_plus_val"], null, new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L] }, at: T));
        Assert.Contains("entities.val_to_add", online.Message, StringComparison.Ordinal);
    }
}
