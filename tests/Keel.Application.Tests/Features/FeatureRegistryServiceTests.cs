using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Governance;
using Keel.Core.Serving;
using Keel.Storage.Contracts;
using Keel.Storage.Sqlite;

namespace Keel.Application.Tests.Features;

/// <summary>The registry use case over the real SQLite stores: apply, versions, the production check, resolving feature lists.</summary>
public sealed class FeatureRegistryServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-features-").FullName;
    private readonly SqliteFeatureRegistry _registry;
    private readonly SqliteServingStore _serving;
    private readonly SqliteModelRegistryStore _models;
    private readonly List<AuditEntry> _audit = [];
    private readonly FeatureRegistryService _service;

    public FeatureRegistryServiceTests()
    {
        var path = Path.Combine(_dir, "keel.db");
        _registry = new SqliteFeatureRegistry(path);
        _serving = new SqliteServingStore(path);
        _models = new SqliteModelRegistryStore(path);
        _service = new FeatureRegistryService(_registry, _serving, new Sink(_audit), models: _models);
    }

    public void Dispose()
    {
        _registry.Dispose();
        _serving.Dispose();
        _models.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Apply_stores_version_1_reports_each_change_and_a_second_apply_changes_nothing()
    {
        var result = await _service.ApplyAsync(FeatureRegistryContract.Sample(), force: false, "alice");
        Assert.True(result.Applied);
        Assert.Equal(1L, result.Catalog.Revision);
        Assert.All(result.Plan.Items, i => Assert.Equal((FeaturePlanAction.Create, 1), (i.Action, i.VersionAfter)));
        Assert.Equal(8, _audit.Count);
        Assert.All(_audit, a => Assert.Equal(("alice", "features.apply"), (a.Actor, a.Action)));
        Assert.Contains(_audit, a => a.ResourceType == "feature_view" && a.Resource == "driver_hourly_stats@v1");

        var again = await _service.ApplyAsync(FeatureRegistryContract.Sample(), force: false, "alice");
        Assert.False(again.Applied);
        Assert.Equal(1L, again.Catalog.Revision);
    }

    [Fact]
    public async Task A_schema_change_to_a_view_a_production_endpoint_reads_is_refused_unless_forced()
    {
        await _service.ApplyAsync(FeatureRegistryContract.Sample(), false, "alice");
        await _serving.CreateEndpointAsync(Endpoint("churn", "prod", new EndpointFeatures("driver_activity", null)), null);
        await _models.CreateRegisteredModelAsync("churn", [], null, null);
        await _models.CreateModelVersionAsync(new("churn", "runs:/r/model", null, [new("keel.feature_service", "driver_activity")], null, null, null), null);
        await _models.CreateModelVersionAsync(new("churn", "runs:/r2/model", null, [new("keel.feature_service", "other")], null, null, null), null);
        await _serving.CreateEndpointAsync(Endpoint("churn-dev", "dev", new EndpointFeatures("driver_activity", null)), null);
        await _serving.CreateEndpointAsync(Endpoint("other", "prod", new EndpointFeatures(null, ["global_stats:acc_rate"])), null);

        var sample = FeatureRegistryContract.Sample();
        var view = sample.FindView("driver_hourly_stats")!;
        var changed = sample with { Views = [view with { Features = [.. view.Features.Select(f => f.Name == "acc_rate" ? f with { Dtype = FeatureDtype.Float32 } : f)] }, .. sample.Views.Skip(1)] };
        var plan = await _service.PlanAsync(changed);
        var item = Assert.Single(plan.Refused);
        Assert.Equal(("driver_hourly_stats", 1, 2), (item.Name, item.VersionBefore, item.VersionAfter));
        var endpoint = Assert.Single(item.Endpoints);
        Assert.Equal(("churn", "prod", "models:/churn/1"), (endpoint.Name, endpoint.Environment, endpoint.ModelUris[0]));
        Assert.Equal(["models:/churn/1"], item.Models);

        _audit.Clear();
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.ApplyAsync(changed, force: false, "bob"));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Contains("endpoint 'churn' (prod) serving models:/churn/1; models tagged keel.feature_service: models:/churn/1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("churn-dev", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _registry.GetCatalogAsync()).Find(FeatureObjectKind.View, "driver_hourly_stats")!.Version);
        Assert.Empty(_audit);

        var forced = await _service.ApplyAsync(changed, force: true, "bob");
        Assert.Equal(2, forced.Catalog.Find(FeatureObjectKind.View, "driver_hourly_stats")!.Version);
        Assert.Contains(_audit, a => a.Action == "features.apply.forced" && a.Resource == "driver_hourly_stats@v2" && a.After!.Contains("churn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_to_a_source_or_a_metadata_change_is_judged_by_the_views_it_reaches()
    {
        await _service.ApplyAsync(FeatureRegistryContract.Sample(), false, "alice");
        await _serving.CreateEndpointAsync(Endpoint("other", "prod", new EndpointFeatures(null, ["global_stats:acc_rate"])), null);
        var sample = FeatureRegistryContract.Sample();

        var moved = sample with { Sources = [sample.Sources[0] with { Path = "/data/elsewhere.parquet" }] };
        var refused = Assert.Single((await _service.PlanAsync(moved)).Refused);
        Assert.Equal((FeatureObjectKind.Source, "other"), (refused.Kind, refused.Endpoints[0].Name));

        var ttl = sample with { Views = [.. sample.Views.Select(v => v.Name == "global_stats" ? v with { Ttl = TimeSpan.FromHours(1) } : v)] };
        Assert.Empty((await _service.PlanAsync(ttl)).Refused);
        var deleted = sample with { Views = [.. sample.Views.Where(v => v.Name != "global_stats")] };
        Assert.Equal("global_stats", Assert.Single((await _service.PlanAsync(deleted)).Refused).Name);
    }

    [Fact]
    public async Task A_feature_list_resolves_in_request_order_with_types_and_the_views_read()
    {
        await _service.ApplyAsync(FeatureRegistryContract.Sample(), false, "alice");
        var byService = await _service.ResolveFeaturesAsync("driver_activity", null);
        Assert.Equal(["driver_hourly_stats:conv_rate", "transformed_conv_rate:conv_rate_plus_val"], byService.References.Select(r => r.ToString()));
        Assert.Equal([(FeatureDtype.Float32, false), (FeatureDtype.Float64, true)], byService.Features.Select(f => (f.Dtype, f.OnDemand)));
        Assert.Equal(["driver_hourly_stats"], byService.Views.Select(v => v.Name));
        Assert.Equal("transformed_conv_rate", Assert.Single(byService.OnDemandViews).Name);
        Assert.Equal(1, byService.VersionOf("driver_hourly_stats"));

        var byList = await _service.ResolveFeaturesAsync(null, ["global_stats:acc_rate", "driver_hourly_stats:city"]);
        Assert.Equal(["global_stats", "driver_hourly_stats"], byList.Views.Select(v => v.Name));
        Assert.Equal(FeatureDtype.String, byList.Features[1].Dtype);

        var unknown = await Assert.ThrowsAsync<KeelException>(() => _service.ResolveFeaturesAsync(null, ["global_stats:nope", "ghost:x", "bad"]));
        Assert.Contains("features[0]: view 'global_stats' has no feature 'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("features[1]: no feature view named 'ghost'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("features[2]: 'bad' is not view:feature", unknown.Message, StringComparison.Ordinal);
        var service = await Assert.ThrowsAsync<KeelException>(() => _service.ResolveFeaturesAsync("nobody", null));
        Assert.Contains("no feature service named 'nobody' (defined: driver_activity)", service.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_are_found_by_name_and_a_name_never_applied_is_not_found()
    {
        await _service.ApplyAsync(FeatureRegistryContract.Sample(), false, "alice");
        Assert.Equal(FeatureObjectKind.View, Assert.Single(await _service.ListVersionsAsync("driver_hourly_stats")).Kind);
        Assert.Equal(FeatureObjectKind.Entity, Assert.Single(await _service.ListVersionsAsync("driver")).Kind);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => _service.ListVersionsAsync("nothing"))).Code);
    }

    private static Endpoint Endpoint(string name, string environment, EndpointFeatures features) =>
        new Endpoint(name, environment, EndpointMode.Single, [new Route($"models:/{name}/1", 100, RouteRole.Primary)], RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 1, 1)
        {
            Features = features,
        };

    private sealed class Sink(List<AuditEntry> entries) : IAuditSink
    {
        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            entries.Add(entry);
            return Task.CompletedTask;
        }
    }
}
