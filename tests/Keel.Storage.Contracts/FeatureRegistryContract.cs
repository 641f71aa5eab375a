using Keel.Application.Features;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IFeatureRegistry"/> backend signs up to: an apply creates version 1
/// and raises the catalog revision; a metadata change keeps the version and moves UpdatedAt; a schema
/// change makes the next version and every version stays listed; a name deleted and re-created
/// continues its numbering; a stale expected revision is RESOURCE_CONFLICT and changes nothing;
/// definitions of every kind round-trip exactly; materialization state is optimistic and fenced.
/// </summary>
public abstract class FeatureRegistryContract : IDisposable
{
    private (IFeatureRegistry Registry, ILeaseStore Leases)? _stores;

    /// <summary>Returns a fresh, empty registry and the lease store of the same database.</summary>
    protected abstract (IFeatureRegistry Registry, ILeaseStore Leases) CreateStores();

    protected IFeatureRegistry Registry => (_stores ??= CreateStores()).Registry;

    protected ILeaseStore Leases => (_stores ??= CreateStores()).Leases;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    public static FeatureDefinitions Sample(string path = "/data/driver_stats.parquet") => new(
        [new FeatureEntity("driver", ["driver_id"], "A driver"), new FeatureEntity("trip", ["trip_id", "leg"])],
        [new FeatureSource("driver_stats_source", path, "event_timestamp", "created", new Dictionary<string, string> { ["DriverID"] = "driver_id", ["conv"] = "conv_rate" }, "hourly stats")],
        [new FeatureView(
            "driver_hourly_stats", ["driver"], "driver_stats_source", TimeSpan.FromDays(1),
            [new("conv_rate", FeatureDtype.Float32), new("acc_rate", FeatureDtype.Float64), new("avg_daily_trips", FeatureDtype.Int64), new("city", FeatureDtype.String),
             new("active", FeatureDtype.Bool), new("last_trip", FeatureDtype.UnixTimestamp), new("rank", FeatureDtype.Int32)],
            Online: false, Description: "stats", Tags: new Dictionary<string, string> { ["team"] = "ml", ["tier"] = "gold" }),
         new FeatureView("global_stats", [], "driver_stats_source", TimeSpan.Zero, [new("acc_rate", FeatureDtype.Float64)]),
         new FeatureView("untimed", ["driver"], "driver_stats_source", null, [new("acc_rate", FeatureDtype.Float64)])],
        [new OnDemandFeatureView(
            "transformed_conv_rate", ["driver_hourly_stats"], [new("val_to_add", FeatureDtype.Int64), new("ratio", FeatureDtype.Float64)],
            [new("conv_rate_plus_val", FeatureDtype.Float64, "conv_rate + val_to_add"), new("scaled", FeatureDtype.Float32, "conv_rate * ratio")], "odfv")],
        [new FeatureService("driver_activity", [new("driver_hourly_stats", "conv_rate"), new("transformed_conv_rate", "conv_rate_plus_val")], "for the model")]);

    public static IReadOnlyList<FeatureObjectChange> Create(FeatureDefinitions d) =>
    [
        .. d.Entities.Select(e => new FeatureObjectChange(FeatureObjectKind.Entity, e.Name, e, true)),
        .. d.Sources.Select(s => new FeatureObjectChange(FeatureObjectKind.Source, s.Name, s, true)),
        .. d.Views.Select(v => new FeatureObjectChange(FeatureObjectKind.View, v.Name, v, true)),
        .. d.OnDemandViews.Select(v => new FeatureObjectChange(FeatureObjectKind.OnDemandView, v.Name, v, true)),
        .. d.Services.Select(s => new FeatureObjectChange(FeatureObjectKind.Service, s.Name, s, true)),
    ];

    [ContractFact]
    public async Task An_empty_registry_has_revision_0_and_an_apply_creates_version_1_of_everything()
    {
        var empty = await Registry.GetCatalogAsync();
        Assert.Equal(0L, empty.Revision);
        Assert.Empty(empty.Objects);

        var catalog = await Registry.ApplyAsync(Create(Sample()), 0, "alice");
        Assert.Equal(1L, catalog.Revision);
        Assert.Equal(8, catalog.Objects.Count);
        Assert.All(catalog.Objects, o => Assert.Equal((1, "alice"), (o.Version, o.CreatedBy)));
        Assert.All(catalog.Objects, o => Assert.True(o.CreatedAt > 0 && o.UpdatedAt == o.CreatedAt));
        var read = await Registry.GetCatalogAsync();
        Assert.Equal(1L, read.Revision);
        Assert.Equal(1, read.Find(FeatureObjectKind.View, "driver_hourly_stats")!.Version);
        Assert.Null(read.Find(FeatureObjectKind.View, "driver"));
    }

    [ContractFact]
    public async Task Definitions_of_every_kind_round_trip_exactly()
    {
        var sample = Sample();
        await Registry.ApplyAsync(Create(sample), 0, null);
        var stored = (await Registry.GetCatalogAsync()).Definitions;
        foreach (var (want, got) in Pairs(sample, stored))
        {
            Assert.True(FeaturePlanner.Same(want, got), $"{want} came back as {got}");
        }

        var view = stored.FindView("driver_hourly_stats")!;
        Assert.Equal((TimeSpan.FromDays(1), false, "gold"), (view.Ttl, view.Online, view.Tags!["tier"]));
        Assert.Equal(FeatureDtype.UnixTimestamp, view.Features[5].Dtype);
        Assert.Equal(TimeSpan.Zero, stored.FindView("global_stats")!.Ttl);
        Assert.Empty(stored.FindView("global_stats")!.Entities);
        Assert.Null(stored.FindView("untimed")!.Ttl);
        Assert.Equal("driver_id", stored.FindSource("driver_stats_source")!.FieldMapping!["DriverID"]);
        Assert.Equal("conv_rate * ratio", stored.FindOnDemandView("transformed_conv_rate")!.Features[1].Expression);
        Assert.Equal(["trip_id", "leg"], stored.FindEntity("trip")!.JoinKeys);
        Assert.Equal("transformed_conv_rate:conv_rate_plus_val", stored.FindService("driver_activity")!.Features[1].ToString());
    }

    [ContractFact]
    public async Task A_metadata_change_keeps_the_version_and_moves_UpdatedAt()
    {
        var first = await Registry.ApplyAsync(Create(Sample()), 0, "alice");
        var before = first.Find(FeatureObjectKind.View, "driver_hourly_stats")!;
        await ClockPassesAsync(before.UpdatedAt);
        var view = (FeatureView)before.Definition with { Description = "new words", Ttl = TimeSpan.FromHours(12), Tags = new Dictionary<string, string> { ["team"] = "risk" }, Online = true };
        var after = await Registry.ApplyAsync([new(FeatureObjectKind.View, view.Name, view, false)], 1, "bob");
        var changed = after.Find(FeatureObjectKind.View, "driver_hourly_stats")!;
        Assert.Equal((2L, 1, before.CreatedAt), (after.Revision, changed.Version, changed.CreatedAt));
        Assert.True(changed.UpdatedAt > before.UpdatedAt);
        Assert.True(FeaturePlanner.Same(view, changed.Definition));
        Assert.Single(await Registry.ListVersionsAsync(FeatureObjectKind.View, "driver_hourly_stats"));
    }

    [ContractFact]
    public async Task A_schema_change_makes_version_2_and_both_versions_stay_listed()
    {
        var first = await Registry.ApplyAsync(Create(Sample()), 0, "alice");
        var v1 = (FeatureView)first.Find(FeatureObjectKind.View, "driver_hourly_stats")!.Definition;
        var v2 = v1 with { Features = [.. v1.Features.Take(2), new("trips_today", FeatureDtype.Int64)] };
        var after = await Registry.ApplyAsync([new(FeatureObjectKind.View, v2.Name, v2, true)], 1, "bob");
        Assert.Equal(2, after.Find(FeatureObjectKind.View, "driver_hourly_stats")!.Version);
        var versions = await Registry.ListVersionsAsync(FeatureObjectKind.View, "driver_hourly_stats");
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(("alice", "bob"), (versions[0].CreatedBy, versions[1].CreatedBy));
        Assert.True(FeaturePlanner.Same(v1, versions[0].Definition));
        Assert.True(FeaturePlanner.Same(v2, versions[1].Definition));
        Assert.Empty(await Registry.ListVersionsAsync(FeatureObjectKind.View, "nothing"));
        Assert.Empty(await Registry.ListVersionsAsync(FeatureObjectKind.Entity, "driver_hourly_stats"));
    }

    [ContractFact]
    public async Task A_name_deleted_and_created_again_continues_its_numbering()
    {
        await Registry.ApplyAsync(Create(Sample()), 0, null);
        var gone = await Registry.ApplyAsync([new(FeatureObjectKind.View, "untimed", null, false)], 1, null);
        Assert.Null(gone.Find(FeatureObjectKind.View, "untimed"));
        Assert.Single(await Registry.ListVersionsAsync(FeatureObjectKind.View, "untimed"));

        var again = new FeatureView("untimed", ["driver"], "driver_stats_source", null, [new("conv_rate", FeatureDtype.Float32)]);
        var back = await Registry.ApplyAsync([new(FeatureObjectKind.View, "untimed", again, true)], 2, null);
        Assert.Equal((3L, 2), (back.Revision, back.Find(FeatureObjectKind.View, "untimed")!.Version));
        Assert.Equal([1, 2], (await Registry.ListVersionsAsync(FeatureObjectKind.View, "untimed")).Select(v => v.Version));
    }

    [ContractFact]
    public async Task A_stale_expected_revision_is_a_conflict_and_changes_nothing()
    {
        await Registry.ApplyAsync(Create(Sample()), 0, null);
        var view = Sample().FindView("untimed")! with { Features = [new("other", FeatureDtype.Int64)] };
        var e = await Assert.ThrowsAnyAsync<KeelException>(() => Registry.ApplyAsync([new(FeatureObjectKind.View, view.Name, view, true)], 0, null));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        var conflict = Assert.IsType<FeatureCatalogConflictException>(e);
        Assert.Equal(1L, conflict.CurrentRevision);
        var catalog = await Registry.GetCatalogAsync();
        Assert.Equal((1L, 1), (catalog.Revision, catalog.Find(FeatureObjectKind.View, "untimed")!.Version));
        Assert.Equal("acc_rate", ((FeatureView)catalog.Find(FeatureObjectKind.View, "untimed")!.Definition).Features[0].Name);
        Assert.Single(await Registry.ListVersionsAsync(FeatureObjectKind.View, "untimed"));
    }

    [ContractFact]
    public async Task Of_two_applies_from_the_same_revision_exactly_one_succeeds()
    {
        var sample = Sample();
        var a = Registry.ApplyAsync(Create(sample with { Services = [] }), 0, "a");
        var b = Registry.ApplyAsync([new(FeatureObjectKind.Entity, "driver", sample.Entities[0], true)], 0, "b");
        var outcomes = await Task.WhenAll(Outcome(a), Outcome(b));
        Assert.Single(outcomes, o => o is null);
        Assert.Equal(ErrorCode.ResourceConflict, Assert.Single(outcomes, o => o is not null)!.Code);
        var catalog = await Registry.GetCatalogAsync();
        Assert.Equal(1L, catalog.Revision);
        Assert.Equal(1, Assert.Single(await Registry.ListVersionsAsync(FeatureObjectKind.Entity, "driver")).Version);
    }

    [ContractFact]
    public async Task Materialization_state_is_recorded_from_the_revision_it_was_read_at()
    {
        Assert.Null(await Registry.GetMaterializationAsync("driver_hourly_stats"));
        var first = await Registry.RecordMaterializationAsync(new MaterializationState("driver_hourly_stats", 1, 1_700_000_000_000, 42, 1_700_000_100_000, 0), 0, null);
        Assert.Equal((1, 1_700_000_000_000L, 42L, 1_700_000_100_000L, 1L), (first.ViewVersion, first.Watermark, first.Rows, first.UpdatedAt, first.Revision));

        var stale = await Assert.ThrowsAnyAsync<KeelException>(() => Registry.RecordMaterializationAsync(first with { Watermark = 5 }, 0, null));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        var second = await Registry.RecordMaterializationAsync(first with { ViewVersion = 2, Watermark = 1_700_000_200_000, Rows = 7 }, 1, null);
        Assert.Equal((2, 1_700_000_200_000L, 7L, 2L), (second.ViewVersion, second.Watermark, second.Rows, second.Revision));
        Assert.Equal(second, await Registry.GetMaterializationAsync("driver_hourly_stats"));
        Assert.Null(await Registry.GetMaterializationAsync("other_view"));
    }

    [ContractFact]
    public async Task A_materialization_record_under_a_stale_lease_fence_is_refused_and_changes_nothing()
    {
        var fence = (await Leases.TryAcquireAsync("feature-materializer", "replica-a", TimeSpan.FromMinutes(1)))!;
        var first = await Registry.RecordMaterializationAsync(new MaterializationState("v", 1, 10, 1, 100, 0), 0, fence);
        await Leases.ReleaseAsync(fence);
        var taken = (await Leases.TryAcquireAsync("feature-materializer", "replica-b", TimeSpan.FromMinutes(1)))!;
        var e = await Assert.ThrowsAnyAsync<KeelException>(() => Registry.RecordMaterializationAsync(first with { Watermark = 20 }, 1, fence));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Equal(10L, (await Registry.GetMaterializationAsync("v"))!.Watermark);
        Assert.Equal(20L, (await Registry.RecordMaterializationAsync(first with { Watermark = 20 }, 1, taken)).Watermark);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static async Task<KeelException?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (KeelException e)
        {
            return e;
        }
    }

    // Waits (without sleeping a fixed time) until the wall clock has passed a stored millisecond, so a later write gets a later time.
    private static async Task ClockPassesAsync(long unixMs)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= unixMs)
        {
            await Task.Yield();
        }
    }

    private static IEnumerable<(object Want, object? Got)> Pairs(FeatureDefinitions want, FeatureDefinitions got) =>
        want.Entities.Select(e => ((object)e, (object?)got.FindEntity(e.Name)))
            .Concat(want.Sources.Select(s => ((object)s, (object?)got.FindSource(s.Name))))
            .Concat(want.Views.Select(v => ((object)v, (object?)got.FindView(v.Name))))
            .Concat(want.OnDemandViews.Select(v => ((object)v, (object?)got.FindOnDemandView(v.Name))))
            .Concat(want.Services.Select(s => ((object)s, (object?)got.FindService(s.Name))));
}
