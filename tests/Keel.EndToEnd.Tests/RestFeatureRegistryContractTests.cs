using Keel.Core.Backends;
using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Keel.Client.RestFeatureRegistry"/> enrolls in the feature registry contract:
/// each test gets a fresh in-process server, and every apply, read and materialization record goes
/// over real HTTP. Leases have no HTTP API of their own: the test takes them on the server's store.
/// </summary>
public sealed class RestFeatureRegistryContractTests : FeatureRegistryContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override (IFeatureRegistry Registry, ILeaseStore Leases) CreateStores()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions(Port: 0));
        var backend = services.GetRequiredService<IMetadataBackend>();
        return (client.Features, (ILeaseStore)backend.Serving);
    }
}
