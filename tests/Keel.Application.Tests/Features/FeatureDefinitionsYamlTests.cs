using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Tests.Features;

public sealed class FeatureDefinitionsYamlTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "repo");

    [Fact]
    public void The_driver_example_reads_with_Feasts_names_and_its_relative_path_made_absolute()
    {
        var d = FeatureDefinitionsYaml.Parse(FeatureYamlSamples.Driver, Base);
        Assert.Equal(["driver_id"], d.FindEntity("driver")!.JoinKeys);
        var source = d.FindSource("driver_stats_source")!;
        Assert.Equal((Path.Combine(Base, "data", "driver_stats.parquet"), "event_timestamp", "created"), (source.Path, source.TimestampField, source.CreatedTimestampColumn));
        var view = d.FindView("driver_hourly_stats")!;
        Assert.Equal((TimeSpan.FromDays(1), true, "driver_stats_source"), (view.Ttl, view.Online, view.Source));
        Assert.Equal([("conv_rate", FeatureDtype.Float32), ("acc_rate", FeatureDtype.Float32), ("avg_daily_trips", FeatureDtype.Int64)], view.Features.Select(f => (f.Name, f.Dtype)));
        var odfv = d.FindOnDemandView("transformed_conv_rate")!;
        Assert.Equal(("val_to_add", FeatureDtype.Int64), (odfv.RequestFields[0].Name, odfv.RequestFields[0].Dtype));
        Assert.Equal(("conv_rate_plus_val", FeatureDtype.Float64, "conv_rate + val_to_add"), (odfv.Features[0].Name, odfv.Features[0].Dtype, odfv.Features[0].Expression));
        Assert.Equal(
            ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "transformed_conv_rate:conv_rate_plus_val"],
            d.FindService("driver_activity")!.Features.Select(f => f.ToString()));
    }

    [Theory]
    [InlineData("10d", 864_000_000L)]
    [InlineData("12h", 43_200_000L)]
    [InlineData("30m", 1_800_000L)]
    [InlineData("45s", 45_000L)]
    [InlineData("0", 0L)]
    public void Ttls_read_as_Feast_users_write_them(string ttl, long ms)
    {
        var d = FeatureDefinitionsYaml.Parse(FeatureYamlSamples.Driver.Replace("ttl: 1d", "ttl: " + ttl, StringComparison.Ordinal), Base);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), d.FindView("driver_hourly_stats")!.Ttl);
    }

    [Fact]
    public void Dataset_uris_are_kept_and_Feasts_view_to_features_shape_of_a_service_is_read()
    {
        var text = FeatureYamlSamples.Driver
            .Replace("path: data/driver_stats.parquet", "path: \"datasets:/driver_stats@3\"", StringComparison.Ordinal)
            .Replace("""features: ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "transformed_conv_rate:conv_rate_plus_val"]""",
                "features:\n      - driver_hourly_stats: [conv_rate, acc_rate]\n      - \"transformed_conv_rate:conv_rate_plus_val\"", StringComparison.Ordinal);
        var d = FeatureDefinitionsYaml.Parse(text, Base);
        Assert.Equal("datasets:/driver_stats@3", d.FindSource("driver_stats_source")!.Path);
        Assert.Equal(["driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate", "transformed_conv_rate:conv_rate_plus_val"], d.FindService("driver_activity")!.Features.Select(f => f.ToString()));
    }

    [Fact]
    public void Written_yaml_reads_back_to_the_same_definitions()
    {
        var d = Keel.Storage.Contracts.FeatureRegistryContract.Sample();
        var text = FeatureDefinitionsYaml.Write(d);
        var back = FeatureDefinitionsYaml.Parse(text, "/elsewhere");
        Assert.True(FeaturePlanner.Plan(back, Catalog(d)).Items.All(i => i.Action == FeaturePlanAction.Unchanged), text);
        Assert.Equal(FeatureDefinitionsYaml.Write(back), text);
    }

    [Fact]
    public void Every_problem_is_reported_together_naming_its_place()
    {
        const string bad = """
            entities:
              - {name: driver, join_keys: [driver_id]}
              - {name: driver, join_keys: [other_id]}
            sources:
              - {name: stats, path: /data/stats.parquet, timestamp_field: event_timestamp, created_timestamp_column: created}
            feature_views:
              - name: driver_hourly_stats
                entities: [driver, drivr]
                source: stats
                ttl: 10x
                colour: blue
                features:
                  - {name: conv_rate, dtype: Float}
                  - {name: driver_id, dtype: Int64}
                  - {name: event_timestamp, dtype: UnixTimestamp}
                  - {name: conv_rate, dtype: Float32}
              - name: other
                entities: [driver]
                source: nowhere
                features: []
            on_demand_feature_views:
              - name: odfv
                sources: [nope]
                request_fields: [{name: val, dtype: Decimal}]
                features:
                  - {name: plus, dtype: Float64, expression: ""}
            feature_services:
              - name: svc
                features: ["driver_hourly_stats:conv_rate", "driver_hourly_stats:y", "x:z", "notareference"]
            feature_tables: []
            """;
        var e = Assert.Throws<KeelException>(() => FeatureDefinitionsYaml.Parse(bad, Base));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        string[] expected =
        [
            "feature_views[0].ttl: '10x' is not a duration (use 10d, 12h, 30m, 45s or 0)",
            "feature_views[0].entities[1]: no entity named 'drivr'",
            "feature_services[0].features[1]: view 'driver_hourly_stats' has no feature 'y'",
            "feature_services[0].features[2]: no feature view named 'x'",
            "feature_services[0].features[3]: 'notareference' is not view:feature",
            "entities[1].name: duplicate name 'driver'",
            "feature_views[0].features[1].name: 'driver_id' is a join key of entity 'driver', not a feature",
            "feature_views[0].features[2].name: 'event_timestamp' is the timestamp_field of source 'stats', not a feature",
            "feature_views[0].features[3].name: duplicate feature 'conv_rate'",
            "feature_views[0].features[0].dtype: 'Float' is not a dtype (use one of Int32, Int64, Float32, Float64, String, Bool, UnixTimestamp)",
            "feature_views[0].colour: unknown key (allowed: name, entities, source, ttl, online, features, description, tags)",
            "feature_tables: unknown key",
            "feature_views[1].source: no source named 'nowhere'",
            "feature_views[1].features: at least one feature is required",
            "on_demand_feature_views[0].sources[0]: no feature view named 'nope'",
            "on_demand_feature_views[0].request_fields[0].dtype: 'Decimal' is not a dtype",
            "on_demand_feature_views[0].features[0].expression: required",
        ];
        Assert.All(expected, line => Assert.Contains(line, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_relative_path_from_code_or_the_api_is_refused_but_the_builder_resolves_it()
    {
        var d = new FeatureDefinitionsBuilder(Base)
            .Entity("driver", "driver_id")
            .Source("driver_stats_source", "data/driver_stats.parquet", "event_timestamp", "created")
            .View("driver_hourly_stats", ["driver"], "driver_stats_source", TimeSpan.FromDays(1),
                new("conv_rate", FeatureDtype.Float32), new("acc_rate", FeatureDtype.Float32), new("avg_daily_trips", FeatureDtype.Int64))
            .OnDemandView(new OnDemandFeatureView("transformed_conv_rate", ["driver_hourly_stats"], [new("val_to_add", FeatureDtype.Int64)], [new("conv_rate_plus_val", FeatureDtype.Float64, "conv_rate + val_to_add")]))
            .Service("driver_activity", "driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "transformed_conv_rate:conv_rate_plus_val")
            .Build();
        var yaml = FeatureDefinitionsYaml.Parse(FeatureYamlSamples.Driver, Base);
        Assert.True(FeaturePlanner.Plan(d, Catalog(yaml)).Items.All(i => i.Action == FeaturePlanAction.Unchanged));

        var relative = d with { Sources = [d.Sources[0] with { Path = "data/x.parquet" }] };
        var e = Assert.Throws<KeelException>(() => FeatureDefinitionsValidator.Check(relative));
        Assert.Contains("sources[0].path: 'data/x.parquet' is relative", e.Message, StringComparison.Ordinal);
        var built = Assert.Throws<KeelException>(() => new FeatureDefinitionsBuilder().Entity("driver", "driver_id").Service("svc", "nowhere:f").Build());
        Assert.Contains("feature_services[0].features[0]: no feature view named 'nowhere'", built.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_no_definitions_and_bad_yaml_names_the_line()
    {
        Assert.Empty(FeatureDefinitionsYaml.Parse(string.Empty, Base).Views);
        var e = Assert.Throws<KeelException>(() => FeatureDefinitionsYaml.Parse("entities: [\n  - {", Base));
        Assert.Contains("not valid YAML at line", e.Message, StringComparison.Ordinal);
    }

    internal static FeatureCatalog Catalog(FeatureDefinitions d) =>
        new(1, [.. Keel.Storage.Contracts.FeatureRegistryContract.Create(d).Select(c => new StoredFeatureObject(c.Kind, c.Name, 1, c.Definition!, 0, 0, null))]);
}
