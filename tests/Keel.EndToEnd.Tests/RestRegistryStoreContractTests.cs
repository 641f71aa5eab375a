using Keel.Client;
using Keel.Core.Registry;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Storage.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="KeelClient"/> enrolls in the registry contract: each test gets a fresh
/// in-process server on its own data dir and talks to it over real HTTP.
/// </summary>
public sealed class RestRegistryStoreContractTests : ModelRegistryStoreContract, IAsyncLifetime
{
    private readonly List<(WebApplication App, string Dir, KeelClient Client)> _servers = [];

    protected override IModelRegistryStore CreateRegistryStore()
    {
        var dir = TempDirs.Create("keel-rest-registry");
        var app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: dir));
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new KeelClient(new Uri(address));
        _servers.Add((app, dir, client));
        return client;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (app, dir, client) in _servers)
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            TempDirs.TryDelete(dir);
        }
    }
}
