using Keel.Core.Jobs;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Keel.Client.KeelClient"/> enrolls in the job queue contract: each test gets a
/// fresh in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestJobQueueContractTests : JobQueueContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override IJobQueue CreateQueue() => _servers.StartClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
