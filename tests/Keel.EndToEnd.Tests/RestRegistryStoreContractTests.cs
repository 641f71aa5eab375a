using Keel.Client;
using Keel.Core.Registry;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="KeelClient"/> enrolls in the registry contract: each test gets a fresh
/// in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestRegistryStoreContractTests : ModelRegistryStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override IModelRegistryStore CreateRegistryStore() => _servers.StartClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
