using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>One shared `keel server` process for a test collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private KeelServerProcess? _server;

    public KeelServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        _server = await KeelServerProcess.StartAsync();
        Http.BaseAddress = _server.BaseUri;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "keel server";
}
