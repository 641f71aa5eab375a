using Keel.Core.Backends;
using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Client.RestPipelineStore"/> enrolls in the pipeline store contract: each test
/// gets a fresh in-process server, and every store call goes over real HTTP (fences included); the
/// leases the fences name are taken on the server's own lease store.
/// </summary>
public sealed class RestPipelineStoreContractTests : PipelineStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override (IPipelineStore Pipelines, ILeaseStore Leases) CreateStores()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions(Port: 0));
        return (client.PipelineStore, (ILeaseStore)services.GetRequiredService<IMetadataBackend>().Serving);
    }
}
