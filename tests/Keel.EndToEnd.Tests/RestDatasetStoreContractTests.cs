using Keel.Core.Data;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Keel.Client.RestDatasetStore"/> enrolls in the dataset store contract: each
/// test gets a fresh in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestDatasetStoreContractTests : DatasetStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override IDatasetStore CreateDatasetStore() => _servers.StartClient().Datasets;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
