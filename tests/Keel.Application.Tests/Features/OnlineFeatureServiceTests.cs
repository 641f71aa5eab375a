using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Microsoft.Extensions.Time.Testing;
using static Keel.Application.Tests.Features.DriverDefinitions;

namespace Keel.Application.Tests.Features;

public sealed class OnlineFeatureServiceTests
{
    private readonly InMemoryFeatureRegistry _registry = new();
    private readonly MemoryOnlineStore _store = new();
    private readonly FakeTimeProvider _time = new(T0 + TimeSpan.FromHours(10));
    private readonly OnlineFeatureService _service;

    public OnlineFeatureServiceTests()
    {
        _registry.Set(Create());
        _service = new OnlineFeatureService(_registry, _store, _time);
    }

    [Fact]
    public async Task The_ttl_rule_gives_present_null_expired_and_not_found_like_offline()
    {
        var now = T0 + TimeSpan.FromHours(10);
        await _store.WriteAsync("driver_hourly@v1",
        [
            new OnlineRow("1001", Ms(TimeSpan.FromHours(9)), 0, [0.5, 12L, "ann", true]),
            new OnlineRow("1002", Ms(TimeSpan.FromHours(9)), 0, [null, 3L, null, false]),
            // Exactly at the TTL boundary: still valid (now - ttl <= event_ts, as offline).
            new OnlineRow("1003", Ms(TimeSpan.FromHours(8)), 0, [0.7, 1L, "cy", true]),
            new OnlineRow("1004", Ms(TimeSpan.FromHours(8)) - 1, 0, [0.9, 2L, "dee", true]),
            // A row from after the read time is not served (offline at entity_ts = now would not see it).
            new OnlineRow("1005", Ms(TimeSpan.FromHours(11)), 0, [0.1, 9L, "eve", true]),
        ]);

        var result = await _service.GetOnlineFeaturesAsync(
            ["driver_hourly:conv_rate", "driver_hourly:name"], null,
            new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L, 1003L, 1004L, 1005L, 9999L] }, at: now);

        Assert.Equal(["conv_rate", "name"], result.Columns.Select(c => c.Name));
        Assert.Equal([0.5, null, 0.7, null, null, null], result.Values[0]);
        Assert.Equal(
            [OnlineValueStatus.Present, OnlineValueStatus.NullValue, OnlineValueStatus.Present, OnlineValueStatus.Expired, OnlineValueStatus.NotFound, OnlineValueStatus.NotFound],
            result.Statuses[0]);
        Assert.Equal(["ann", null, "cy", null, null, null], result.Values[1]);
        Assert.Equal([Ms(TimeSpan.FromHours(9)), Ms(TimeSpan.FromHours(9)), Ms(TimeSpan.FromHours(8)), Ms(TimeSpan.FromHours(8)) - 1, 0, 0], result.EventTimestamps[0]);

        // Later, the same rows expire; the clock is the service's TimeProvider when no time is given.
        _time.Advance(TimeSpan.FromHours(2));
        var later = await _service.GetOnlineFeaturesAsync(["driver_hourly:conv_rate"], null, new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1005L] });
        Assert.Equal([OnlineValueStatus.Expired, OnlineValueStatus.Present], later.Statuses[0]);
    }

    [Fact]
    public async Task A_view_without_ttl_never_expires_and_a_service_names_features_across_views()
    {
        await _store.WriteAsync("driver_hourly@v1", [new OnlineRow("7", Ms(TimeSpan.FromHours(9.5)), 0, [0.25, 1L, "x", true])]);
        await _store.WriteAsync("customer_profile@v1", [new OnlineRow("c1", Ms(TimeSpan.FromDays(-300)), 0, [42L])]);

        var result = await _service.GetOnlineFeaturesAsync(null, "driver_model",
            new Dictionary<string, IReadOnlyList<object?>> { ["customer_id"] = ["c1", "c2"], ["driver_id"] = [7L, 7.0] }, fullFeatureNames: true);

        Assert.Equal(["driver_hourly__conv_rate", "customer_profile__trips"], result.Columns.Select(c => c.Name));
        Assert.Equal([0.25, 0.25], result.Values[0]);
        Assert.Equal([42L, null], result.Values[1]);
        Assert.Equal([OnlineValueStatus.Present, OnlineValueStatus.NotFound], result.Statuses[1]);
    }

    [Fact]
    public async Task Compound_keys_and_row_by_row_input_read_the_same_entity()
    {
        await _store.WriteAsync("driver_city@v1", [new OnlineRow(EntityKeys.Of([1001L, "Paris"]), Ms(TimeSpan.FromDays(-30)), 0, [5L])]);
        var rows = new List<IReadOnlyDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["city"] = "Paris", ["driver_id"] = 1001L },
            new Dictionary<string, object?> { ["city"] = "Lyon", ["driver_id"] = 1001L },
        };
        var result = await _service.GetOnlineFeaturesAsync(["driver_city:rides"], null, rows);
        Assert.Equal([5L, null], result.Values[0]);
        Assert.Equal(["driver_id", "city"], result.JoinKeys);
    }

    [Fact]
    public async Task The_current_view_version_is_read_and_a_new_version_is_seen_after_the_refresh()
    {
        await _store.WriteAsync("driver_hourly@v1", [new OnlineRow("1", Ms(TimeSpan.FromHours(9)), 0, [0.1, 1L, "v1", true])]);
        await _store.WriteAsync("driver_hourly@v2", [new OnlineRow("1", Ms(TimeSpan.FromHours(9)), 0, [0.2, 2L, "v2", true])]);
        var entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1L] };
        Assert.Equal("v1", (await _service.GetOnlineFeaturesAsync(["driver_hourly:name"], null, entities)).Values[0][0]);

        _registry.Set(Create(), new Dictionary<string, int> { ["driver_hourly"] = 2 });
        Assert.Equal("v1", (await _service.GetOnlineFeaturesAsync(["driver_hourly:name"], null, entities)).Values[0][0]);
        _time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal("v2", (await _service.GetOnlineFeaturesAsync(["driver_hourly:name"], null, entities)).Values[0][0]);
    }

    [Theory]
    [InlineData("nope:conv_rate", "driver_id", 1, "Unknown feature view 'nope'", "features[0]")]
    [InlineData("driver_hourly:nope", "driver_id", 1, "has no feature 'nope'", "features[0]")]
    [InlineData("scaled:nope", "driver_id", 1, "On-demand view 'scaled' has no feature 'nope'", "scaled")]
    [InlineData("driver_hourly", "driver_id", 1, "expected view:feature", "features[0]")]
    [InlineData("driver_hourly:conv_rate", "customer_id", 1, "entities.driver_id is missing", "driver_hourly")]
    [InlineData("driver_hourly:conv_rate", "driver_id", 2, "every join key needs one value per entity row", "entities.")]
    public async Task Bad_input_is_refused_naming_the_field(string feature, string key, int lengths, string message, string field)
    {
        var entities = new Dictionary<string, IReadOnlyList<object?>> { [key] = [1L] };
        if (lengths == 2)
        {
            entities["other"] = [1L, 2L];
        }

        var e = await Assert.ThrowsAsync<KeelException>(() => _service.GetOnlineFeaturesAsync([feature], null, entities).AsTask());
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_and_features_together_or_an_unknown_service_or_clashing_names_are_refused()
    {
        var entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1L], ["customer_id"] = [1L] };
        Assert.Contains("not both", (await Assert.ThrowsAsync<KeelException>(() => _service.GetOnlineFeaturesAsync(["driver_hourly:trips"], "driver_model", entities).AsTask())).Message, StringComparison.Ordinal);
        Assert.Contains("feature_service", (await Assert.ThrowsAsync<KeelException>(() => _service.GetOnlineFeaturesAsync(null, "nobody", entities).AsTask())).Message, StringComparison.Ordinal);
        Assert.Contains("full_feature_names", (await Assert.ThrowsAsync<KeelException>(() => _service.GetOnlineFeaturesAsync(["driver_hourly:trips", "customer_profile:trips"], null, entities).AsTask())).Message, StringComparison.Ordinal);
        var ok = await _service.GetOnlineFeaturesAsync(["driver_hourly:trips", "customer_profile:trips"], null, entities, fullFeatureNames: true);
        Assert.Equal(["driver_hourly__trips", "customer_profile__trips"], ok.Columns.Select(c => c.Name));
    }
}
