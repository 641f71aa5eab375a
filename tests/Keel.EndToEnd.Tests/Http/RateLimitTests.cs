using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Server.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary><c>keel server --rate-limit</c>: over the limit a caller gets MLflow's 429 with Retry-After; probes are never limited.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    [Fact]
    public async Task Rate_plus_burst_requests_pass_then_429_with_retry_after_and_health_still_answers()
    {
        // Two a second plus a burst of one, refilled hourly so the test never races the clock.
        var (_, services) = _servers.Start(new KeelServerOptions { RateLimit = new RateLimitOptions(2, 1) { Period = TimeSpan.FromHours(1) } });
        using var http = new HttpClient { BaseAddress = new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetAsync(new Uri("/api/2.0/mlflow/experiments/search?max_results=1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var refused = await http.GetAsync(new Uri("/api/2.0/mlflow/experiments/search?max_results=1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {refused.Headers.RetryAfter}");
            var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("REQUEST_LIMIT_EXCEEDED", (string?)body["error_code"]);
            Assert.Contains("rate limit", (string?)body["message"], StringComparison.Ordinal);
        }

        foreach (var probe in new[] { "/health", "/version", "/health", "/version" })
        {
            using var answer = await http.GetAsync(new Uri(probe, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }

    [Fact]
    public async Task Without_a_limit_nothing_is_refused()
    {
        var (_, services) = _servers.Start(new KeelServerOptions());
        using var http = new HttpClient { BaseAddress = new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        for (var i = 0; i < 30; i++)
        {
            using var ok = await http.GetAsync(new Uri("/api/2.0/mlflow/experiments/search?max_results=1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}
