using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Core.Serving;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>`keel endpoints` and the SDK against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class EndpointsCliTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    private Task<(int ExitCode, string Stdout, string Stderr)> KeelAsync(params string[] args) =>
        KeelCli.RunAsync([.. args, "--tracking-uri", fixture.Server.BaseUri.ToString()]);

    [Fact]
    public async Task Cli_creates_rolls_out_shows_and_rolls_back_and_the_sdk_waits_for_the_outcome()
    {
        var model = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0.001f);
        var name = "cli-ep-" + Guid.NewGuid().ToString("N")[..6];

        var (code, stdout, stderr) = await KeelAsync("endpoints", "create", name, "--model", v1, "--env", "staging");
        Assert.True(code == 0, stderr);
        Assert.Contains(name, stdout, StringComparison.Ordinal);

        (code, _, stderr) = await KeelAsync("endpoints", "canary", name, "--model", v2, "--steps", "25,100", "--hold-requests", "60");
        Assert.True(code == 0, stderr);

        using var client = new KeelClient(fixture.Server.BaseUri);
        using var deadline = Eventually.Deadline(TimeSpan.FromSeconds(60));
        var waiting = client.WaitForRolloutAsync(name, TimeSpan.FromMilliseconds(100), deadline.Token);
        var rnd = new Random(3);
        while (!waiting.IsCompleted)
        {
            // Traffic is what moves the rollout on; the deadline cancels the wait if it never ends.
            await _api.InferAsync(name, rnd.NextDouble(), rnd.NextDouble(), rnd.NextDouble());
        }

        var done = await waiting;
        Assert.Equal(RolloutState.Promoted, done.Endpoint!.Rollout!.State);

        (code, stdout, stderr) = await KeelAsync("endpoints", "show", name, "--output", "json");
        Assert.True(code == 0, stderr);
        var shown = JsonNode.Parse(stdout)!;
        Assert.Equal("promoted", (string?)shown["endpoint"]!["rollout"]!["state"]);
        Assert.Equal(2, shown["endpoint"]!["rollout"]!["history"]!.AsArray().Count);
        Assert.Contains(shown["live"]!.AsArray(), r => (string?)r!["version"] == $"{model}/2" && (long)r["requests"]! > 0);

        (code, stdout, stderr) = await KeelAsync("endpoints", "show", name);
        Assert.True(code == 0, stderr);
        Assert.Contains("promoted", stdout, StringComparison.Ordinal);
        Assert.Contains("passed", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await KeelAsync("endpoints", "list", "--env", "staging", "--output", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains(JsonNode.Parse(stdout)!["endpoints"]!.AsArray(), e => (string?)e!["endpoint"]!["name"] == name);

        (code, _, stderr) = await KeelAsync("endpoints", "rollback", name, "--reason", "latency regression seen by users");
        Assert.True(code == 0, stderr);
        Assert.Equal($"{model}/1", (await _api.InferAsync(name, 1, 1, 1)).Version);

        (code, _, stderr) = await KeelAsync("endpoints", "promote", name);
        Assert.NotEqual(0, code);
        Assert.Contains("no rollout in progress", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await KeelAsync("endpoints", "show", "no-such-endpoint");
        Assert.Equal(3, code);

        (code, _, stderr) = await KeelAsync("endpoints", "delete", name);
        Assert.True(code == 0, stderr);
        (code, _, _) = await KeelAsync("endpoints", "show", name);
        Assert.Equal(3, code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _api.InferAsync(name, 1, 1, 1)).Status);
    }
}
