using System.Net;
using System.Net.Sockets;
using Keel.ML;
using Microsoft.AspNetCore.Builder;
using Keel.ML.Tests;
using Xunit;

namespace Keel.Scorer.Tests;

/// <summary>The scorer's web host in process, on a free loopback port, serving y = a + 2b + 3c + 0.5 as 'linear' version 7.</summary>
public sealed class ScorerFixture : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-scorer-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IModel? _model;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        MlflowFixtures.WriteModelDirectory(_dir, OnnxModelBuilder.LinearRegressor([1f, 2f, 3f], 0.5f), MlflowFixtures.RegressorMlModel(
            """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}]"""));
        _model = ModelLoader.Load(_dir);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _app = ScorerApp.Build(new ScorerOptions(_dir, "linear", "7", "127.0.0.1", port), new ScoredModel("linear", "7", _model));
        await _app.StartAsync();
        Http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _model?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
