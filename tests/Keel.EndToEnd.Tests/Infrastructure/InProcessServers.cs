using Keel.Client;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Fresh in-process Keel servers, each on its own data dir and a free loopback port, with an SDK
/// client talking to it over real HTTP. Cheaper than a child process, for suites that need a new
/// server per test (the REST store contracts).
/// </summary>
public sealed class InProcessServers : IAsyncDisposable
{
    private readonly List<(WebApplication App, string Dir, KeelClient Client)> _servers = [];

    /// <param name="artifactsDestination">Where the server stores proxied artifacts; its data dir when null.</param>
    public KeelClient StartClient(string? artifactsDestination = null) => Start(new KeelServerOptions(Port: 0, ArtifactsDestination: artifactsDestination)).Client;

    /// <summary>A server with these options (its data dir and port are chosen here), its client, and its services for tests that reach behind the API.</summary>
    public (KeelClient Client, IServiceProvider Services) Start(KeelServerOptions options)
    {
        var dir = TempDirs.Create("keel-inproc");
        var app = KeelServer.Build(options with { Port = 0, DataDir = dir });
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new KeelClient(new Uri(address));
        _servers.Add((app, dir, client));
        return (client, app.Services);
    }

    public async ValueTask DisposeAsync()
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
