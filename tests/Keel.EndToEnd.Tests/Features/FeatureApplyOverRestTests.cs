using Keel.Application.Features;
using Keel.Core.Backends;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Serving;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Features;

/// <summary>
/// Plan and apply over a real server: a schema change to a view that a production endpoint reads
/// (through its feature service) is refused naming the endpoint and the model it serves; with force
/// it is applied as version 2; bad definitions are a 400 naming the field.
/// </summary>
public sealed class FeatureApplyOverRestTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task A_breaking_change_to_what_production_reads_is_refused_unless_forced()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions(Port: 0));
        var sample = FeatureRegistryContract.Sample();
        var first = await client.ApplyFeaturesAsync(sample);
        Assert.Equal((true, 1L), (first.Applied, first.AppliedRevision));

        // The endpoint's feature config is the lead's API; the test stores it on the server's own store.
        var serving = services.GetRequiredService<IMetadataBackend>().Serving;
        await serving.CreateEndpointAsync(
            new Endpoint("churn", "prod", EndpointMode.Single, [new Route("models:/churn/3", 100, RouteRole.Primary)], RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 1, 1)
            {
                Features = new EndpointFeatures("driver_activity", null),
            },
            null);

        var view = sample.FindView("driver_hourly_stats")!;
        var changed = sample with { Views = [view with { Features = [.. view.Features.Where(f => f.Name != "rank")] }, .. sample.Views.Skip(1)] };
        var plan = await client.PlanFeaturesAsync(changed);
        var refused = Assert.Single(plan.Items!, i => i.Refused == true);
        Assert.Equal(("driver_hourly_stats", "new_version", 1, 2), (refused.Name, refused.Action, refused.VersionBefore, refused.VersionAfter));
        Assert.Equal(("churn", "models:/churn/3"), (refused.Endpoints![0].Name, refused.Endpoints[0].ModelUris![0]));

        var e = await Assert.ThrowsAsync<KeelException>(() => client.ApplyFeaturesAsync(changed));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Contains("endpoint 'churn' (prod) serving models:/churn/3", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await client.GetFeatureCatalogAsync()).Find(FeatureObjectKind.View, "driver_hourly_stats")!.Version);

        var forced = await client.ApplyFeaturesAsync(changed, force: true);
        Assert.Equal((true, 2L), (forced.Applied, forced.AppliedRevision));
        Assert.Equal(2, Assert.Single(forced.Items!, i => i.Name == "driver_hourly_stats").VersionAfter);
        Assert.Equal([1, 2], (await client.FeatureVersionsAsync("driver_hourly_stats")).Select(v => v.Version));

        // A metadata change to the same view is never refused.
        var retagged = changed with { Views = [changed.Views[0] with { Description = "reworded" }, .. changed.Views.Skip(1)] };
        Assert.Equal(2, Assert.Single((await client.ApplyFeaturesAsync(retagged)).Items!, i => i.Name == "driver_hourly_stats").VersionAfter);
    }

    [Fact]
    public async Task Bad_definitions_are_a_400_naming_every_field_and_a_stale_revision_is_a_409()
    {
        var client = _servers.StartClient();
        var sample = FeatureRegistryContract.Sample();
        var bad = sample with { Views = [sample.Views[0] with { Entities = ["driver", "drivr"] }, .. sample.Views.Skip(1)], Services = [new FeatureService("s", [new("x", "y")])] };
        var e = await Assert.ThrowsAsync<KeelException>(() => client.ApplyFeaturesAsync(bad));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("feature_views[0].entities[1]: no entity named 'drivr'", e.Message, StringComparison.Ordinal);
        Assert.Contains("feature_services[0].features[0]: no feature view named 'x'", e.Message, StringComparison.Ordinal);
        Assert.Empty((await client.GetFeatureCatalogAsync()).Objects);

        await client.ApplyFeaturesAsync(sample);
        var stale = await Assert.ThrowsAsync<FeatureCatalogConflictException>(() => client.ApplyFeaturesAsync(sample with { Services = [] }, expectedRevision: 0));
        Assert.Equal((1L, 0L), (stale.CurrentRevision, stale.ExpectedRevision));
        Assert.Single((await client.GetFeatureCatalogAsync()).Objects, o => o.Kind == FeatureObjectKind.Service);
    }
}
