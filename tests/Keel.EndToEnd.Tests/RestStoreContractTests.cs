using Keel.Client;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="KeelClient"/> enrolls in the same store contract as the SQLite store: each
/// test gets a fresh in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestStoreContractTests : TrackingStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override ITrackingStore CreateStore() => _servers.StartClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
