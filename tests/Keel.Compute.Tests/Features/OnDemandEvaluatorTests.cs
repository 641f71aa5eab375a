using Keel.Compute.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Xunit;

namespace Keel.Compute.Tests.Features;

public sealed class OnDemandEvaluatorTests
{
    private static readonly FeatureDefinitions Definitions = new(
        [new FeatureEntity("driver", ["driver_id"])],
        [new FeatureSource("stats", "/data/stats.parquet", "event_timestamp")],
        [new FeatureView("driver_hourly_stats", ["driver"], "stats", TimeSpan.FromDays(1), [new FeatureField("conv_rate", FeatureDtype.Float32), new FeatureField("avg_daily_trips", FeatureDtype.Int64)])],
        [],
        []);

    private static OnDemandFeatureView View(params OnDemandFeature[] features) =>
        new("transformed", ["driver_hourly_stats"], [new FeatureField("val_to_add", FeatureDtype.Int64)], features);

    [Fact]
    public void Computes_from_request_fields_and_source_features_in_the_declared_dtype()
    {
        var evaluator = OnDemandEvaluator.Compile(
            View(
                new OnDemandFeature("conv_rate_plus_val", FeatureDtype.Float64, "conv_rate + val_to_add"),
                new OnDemandFeature("trips_doubled", FeatureDtype.Int64, "[driver_hourly_stats__avg_daily_trips] * 2"),
                new OnDemandFeature("busy", FeatureDtype.Bool, "avg_daily_trips > 100"),
                new OnDemandFeature("band", FeatureDtype.String, "if(conv_rate > 0.5, 'high', 'low')")),
            Definitions);
        var inputs = new Dictionary<string, object?> { ["conv_rate"] = 0.75, ["val_to_add"] = 10L, ["driver_hourly_stats__avg_daily_trips"] = 120L, ["avg_daily_trips"] = 120L };

        var values = evaluator.Evaluate(n => inputs.GetValueOrDefault(n));

        Assert.Equal([10.75, 240L, true, "high"], values);
    }

    [Fact]
    public void A_null_input_gives_null_and_so_does_a_row_that_cannot_be_evaluated()
    {
        var evaluator = OnDemandEvaluator.Compile(
            View(new OnDemandFeature("ratio", FeatureDtype.Float64, "conv_rate / val_to_add")),
            Definitions);

        Assert.Equal([null], evaluator.Evaluate(n => n == "val_to_add" ? 2L : null));
        Assert.Equal([null], evaluator.Evaluate(n => n == "val_to_add" ? 0L : 1.5)); // 1.5 / 0 is not finite
        Assert.Equal([0.75], evaluator.Evaluate(n => n == "val_to_add" ? 2L : 1.5));
    }

    [Fact]
    public void An_unknown_name_or_a_broken_expression_is_refused_naming_the_feature()
    {
        var unknown = Assert.Throws<KeelException>(() => OnDemandEvaluator.Compile(View(new OnDemandFeature("x", FeatureDtype.Float64, "conv_rat + 1")), Definitions, "on_demand_feature_views[0]"));
        Assert.Equal(ErrorCode.InvalidParameterValue, unknown.Code);
        Assert.Contains("on_demand_feature_views[0].features[0].expression", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'conv_rat'", unknown.Message, StringComparison.Ordinal);

        var broken = Assert.Throws<KeelException>(() => OnDemandEvaluator.Compile(View(new OnDemandFeature("x", FeatureDtype.Float64, "conv_rate + (")), Definitions));
        Assert.Contains("is not a valid expression", broken.Message, StringComparison.Ordinal);
    }
}
