using Keel.Core.Serving;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Keel.Client.RestServingStore"/> enrolls in the serving store contract: each
/// test gets a fresh in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestServingStoreContractTests : ServingStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override IServingStore CreateServingStore() => _servers.StartClient().ServingStore;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
