using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Data.Tests.Features;

/// <summary>Bad requests get errors that name what is wrong.</summary>
public sealed class OfflineRetrievalErrorTests
{
    private static readonly string Entities = ReferenceFeatures.File("entities.csv");

    [Fact]
    public async Task A_name_collision_without_full_names_names_both_views()
    {
        var error = await FailAsync(new HistoricalRequest(Entities, [new("driver_hourly", "conv_rate"), new("driver_daily", "conv_rate")]));
        Assert.Contains("'driver_hourly'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'driver_daily'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_views_and_features_are_named()
    {
        Assert.Contains("'nope'", (await FailAsync(new HistoricalRequest(Entities, [new("nope", "x")]))).Message, StringComparison.Ordinal);
        Assert.Contains("no feature 'speed'", (await FailAsync(new HistoricalRequest(Entities, [new("driver_hourly", "speed")]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_entity_timestamp_or_join_key_column_is_named()
    {
        var error = await FailAsync(new HistoricalRequest(Entities, [new("driver_hourly", "trips")], EntityTimestampColumn: "ts"));
        Assert.Contains("no column 'ts'", error.Message, StringComparison.Ordinal);

        using var dir = new TempDir();
        var noKey = Path.Combine(dir.Path, "e.csv");
        await File.WriteAllTextAsync(noKey, "event_timestamp,label\n2021-04-12 10:00:00+00:00,1\n");
        error = await FailAsync(new HistoricalRequest(noKey, [new("driver_hourly", "trips")]));
        Assert.Contains("no column 'driver_id'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'driver_hourly'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_without_the_feature_column_is_named_with_the_column()
    {
        var definitions = ReferenceFeatures.Definitions();
        definitions = definitions with { Views = [.. definitions.Views.Select(v => v.Name == "customer" ? v with { Features = [.. v.Features, new("height", FeatureDtype.Float64)] } : v)] };
        var error = await Assert.ThrowsAsync<KeelException>(() => new OfflineRetrieval(definitions).ReadAsync(new HistoricalRequest(Entities, [new("customer", "height")])));
        Assert.Contains("Source 'customers'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'height'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_and_feature_lists_resolve_with_clear_errors()
    {
        var definitions = ReferenceFeatures.Definitions();
        Assert.Equal([new FeatureReference("customer", "age"), new FeatureReference("driver_hourly", "conv_rate")], OfflineRetrieval.ResolveFeatures(definitions, "training"));
        Assert.Equal([new FeatureReference("pair", "affinity"), new FeatureReference("customer", "segment")], OfflineRetrieval.ResolveFeatures(definitions, "pair:affinity, customer:segment"));
        Assert.Contains("Unknown feature service 'serving'", Assert.Throws<KeelException>(() => OfflineRetrieval.ResolveFeatures(definitions, "serving")).Message, StringComparison.Ordinal);
        Assert.Contains("no feature 'x'", Assert.Throws<KeelException>(() => OfflineRetrieval.ResolveFeatures(definitions, "pair:x")).Message, StringComparison.Ordinal);
    }

    private static Task<KeelException> FailAsync(HistoricalRequest request) =>
        Assert.ThrowsAsync<KeelException>(() => new OfflineRetrieval(ReferenceFeatures.Definitions()).ReadAsync(request));
}
