using Keel.Application.Features;
using Keel.Core.Features;
using Keel.Storage.Contracts;

namespace Keel.Application.Tests.Features;

public sealed class FeaturePlannerTests
{
    private static readonly FeatureDefinitions Current = FeatureRegistryContract.Sample();
    private static readonly FeatureCatalog Stored = FeatureDefinitionsYamlTests.Catalog(Current);

    [Fact]
    public void Everything_new_is_created_and_the_same_definitions_change_nothing()
    {
        var fresh = FeaturePlanner.Plan(Current, new FeatureCatalog(0, []));
        Assert.All(fresh.Items, i => Assert.Equal(FeaturePlanAction.Create, i.Action));
        Assert.Equal(8, fresh.Changes.Count);
        Assert.All(fresh.Changes, c => Assert.True(c.NewVersion));

        var same = FeaturePlanner.Plan(Current, Stored);
        Assert.False(same.HasChanges);
        Assert.Equal(1L, same.Revision);
    }

    [Fact]
    public void Metadata_changes_in_place_and_schema_changes_make_a_new_version()
    {
        var view = Current.FindView("driver_hourly_stats")!;
        var desired = Current with
        {
            Views =
            [
                view with { Ttl = TimeSpan.FromHours(2), Description = "changed", Tags = null, Online = true },
                Current.FindView("global_stats")! with { Features = [new("acc_rate", FeatureDtype.Float32)] },
                Current.FindView("untimed")! with { Features = [new("acc_rate", FeatureDtype.Float64), new("extra", FeatureDtype.String)] },
            ],
            Sources = [Current.Sources[0] with { Path = "/data/v2.parquet" }],
            Entities = [Current.Entities[0] with { Description = "drivers" }, Current.Entities[1] with { JoinKeys = ["trip_id"] }],
            OnDemandViews = [Current.OnDemandViews[0] with { Features = [Current.OnDemandViews[0].Features[0] with { Expression = "conv_rate - val_to_add" }, Current.OnDemandViews[0].Features[1]] }],
        };
        var plan = FeaturePlanner.Plan(desired, Stored);
        FeaturePlanItem Item(FeatureObjectKind kind, string name) => plan.Items.Single(i => i.Kind == kind && i.Name == name);

        var meta = Item(FeatureObjectKind.View, "driver_hourly_stats");
        Assert.Equal((FeaturePlanAction.Update, 1, 1), (meta.Action, meta.VersionBefore, meta.VersionAfter));
        Assert.Contains("ttl 1d → 2h", meta.Reason, StringComparison.Ordinal);
        Assert.Contains("tags", meta.Reason, StringComparison.Ordinal);
        var dtype = Item(FeatureObjectKind.View, "global_stats");
        Assert.Equal((FeaturePlanAction.NewVersion, 1, 2), (dtype.Action, dtype.VersionBefore, dtype.VersionAfter));
        Assert.Equal("features: acc_rate Float64 → Float32", dtype.Reason);
        Assert.Equal("features: +extra", Item(FeatureObjectKind.View, "untimed").Reason);
        Assert.Equal(FeaturePlanAction.NewVersion, Item(FeatureObjectKind.Source, "driver_stats_source").Action);
        Assert.Equal(FeaturePlanAction.Update, Item(FeatureObjectKind.Entity, "driver").Action);
        Assert.Equal(FeaturePlanAction.NewVersion, Item(FeatureObjectKind.Entity, "trip").Action);
        var odfv = Item(FeatureObjectKind.OnDemandView, "transformed_conv_rate");
        Assert.Equal((FeaturePlanAction.NewVersion, "features: conv_rate_plus_val expression changed"), (odfv.Action, odfv.Reason));
        Assert.Equal(FeaturePlanAction.Unchanged, Item(FeatureObjectKind.Service, "driver_activity").Action);
        Assert.False(plan.Changes.Single(c => c.Name == "driver_hourly_stats").NewVersion);
        Assert.True(plan.Changes.Single(c => c.Name == "global_stats").NewVersion);
    }

    [Fact]
    public void What_the_definitions_no_longer_have_is_deleted()
    {
        var desired = Current with { Services = [], Views = [.. Current.Views.Where(v => v.Name != "untimed")] };
        var plan = FeaturePlanner.Plan(desired, Stored);
        var deleted = plan.Items.Where(i => i.Action == FeaturePlanAction.Delete).Select(i => (i.Kind, i.Name, i.VersionBefore, i.VersionAfter)).ToList();
        Assert.Equal([(FeatureObjectKind.View, "untimed", (int?)1, (int?)null), (FeatureObjectKind.Service, "driver_activity", 1, null)], deleted);
        Assert.All(plan.Changes, c => Assert.Null(c.Definition));
    }
}
