using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>An endpoint's <c>sensitive_columns</c>: the model sees the real values, the prediction log never does.</summary>
public sealed class SensitiveColumnsTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private readonly string _log = TempDirs.Create("keel-sensitive-log");

    [Fact]
    public async Task Masked_hashed_and_dropped_columns_never_reach_the_prediction_log_and_the_answer_is_unaffected()
    {
        var serving = Start();
        var endpoint = "pii-" + Guid.NewGuid().ToString("N")[..8];
        var created = await serving.CreateEndpointAsync(endpoint, await serving.RegisterLinearAsync(endpoint, [1f, 1f, 1f], 0f), new
        {
            sensitive_columns = new Dictionary<string, string> { ["a"] = "mask", ["b"] = "hash", ["c"] = "drop" },
        });
        Assert.Equal("hash", (string?)created["endpoint"]!["sensitive_columns"]!["b"]);
        await serving.WaitForAsync(endpoint, s => s["live"]?.AsArray().All(r => (bool?)r!["ready"] == true) == true, TimeSpan.FromSeconds(60));

        // The model answers from the real values.
        var first = await serving.InferAsync(endpoint, 1234.5, 6789.25, 42.125);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(8065.875, first.Prediction!.Value, 3);
        Assert.Equal(HttpStatusCode.OK, (await serving.InferAsync(endpoint, 1234.5, 6789.25, 42.125)).Status);

        var dir = Path.Combine(_log, "predictions", endpoint);
        string[] lines = [];
        await Eventually.WaitUntilAsync(
            () => (lines = Directory.Exists(dir) ? [.. Directory.EnumerateFiles(dir, "*.jsonl").SelectMany(ReadShared)] : []).Length >= 2,
            TimeSpan.FromSeconds(30),
            "two prediction log lines");

        var text = string.Join('\n', lines);
        foreach (var raw in new[] { "1234.5", "6789.25", "42.125" })
        {
            Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        }

        var hashes = new HashSet<string>();
        foreach (var line in lines)
        {
            var inputs = JsonNode.Parse(line)!["inputs"]!;
            Assert.Equal("***", (string?)inputs["a"]![0]);
            var hashed = (string?)inputs["b"]![0];
            Assert.StartsWith("hmac:", hashed, StringComparison.Ordinal);
            Assert.Equal(5 + 64, hashed!.Length);
            hashes.Add(hashed);
            Assert.Null(inputs["c"]);
        }

        // The same value hashes the same, so monitoring can still count distinct values.
        Assert.Single(hashes);
    }

    [Fact]
    public async Task An_unknown_mode_is_refused_naming_the_field_and_nothing_is_created()
    {
        var serving = Start();
        var endpoint = "pii-" + Guid.NewGuid().ToString("N")[..8];
        var model = await serving.RegisterLinearAsync(endpoint, [1f, 1f, 1f], 0f);
        var (status, body, response) = await serving.SendAsync(HttpMethod.Post, "/api/2.0/keel/endpoints", new
        {
            name = endpoint,
            model_uri = model,
            sensitive_columns = new Dictionary<string, string> { ["a"] = "encrypt" },
        });
        response.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        Assert.Contains("sensitive_columns['a']", (string?)body["message"], StringComparison.Ordinal);
        Assert.Contains("mask, hash or drop", (string?)body["message"], StringComparison.Ordinal);
        var (missing, _, shown) = await serving.SendAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/" + endpoint);
        shown.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Keel_endpoints_create_declares_sensitive_columns_and_refuses_a_bad_one()
    {
        var serving = Start();
        var endpoint = "pii-" + Guid.NewGuid().ToString("N")[..8];
        var model = await serving.RegisterLinearAsync(endpoint, [1f, 1f, 1f], 0f);
        var uri = serving.Http.BaseAddress!.ToString();

        var (code, _, stderr) = await KeelCli.RunAsync(["endpoints", "create", endpoint, "--model", model, "--sensitive-column", "a=hash", "--sensitive-column", "b=drop", "--tracking-uri", uri]);
        Assert.True(code == 0, stderr);
        var shown = await serving.ShowAsync(endpoint);
        Assert.Equal("hash", (string?)shown["endpoint"]!["sensitive_columns"]!["a"]);
        Assert.Equal("drop", (string?)shown["endpoint"]!["sensitive_columns"]!["b"]);

        (code, var stdout, stderr) = await KeelCli.RunAsync(["endpoints", "create", endpoint + "-x", "--model", model, "--sensitive-column", "a=scramble", "--tracking-uri", uri]);
        Assert.NotEqual(0, code);
        Assert.Contains("sensitive_columns['a']", stdout + stderr, StringComparison.Ordinal);
    }

    private ServingApi Start()
    {
        var (_, services) = _servers.Start(new KeelServerOptions { PredictionLog = _log });
        var http = new HttpClient { BaseAddress = new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        return new ServingApi(http);
    }

    private static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        TempDirs.TryDelete(_log);
    }
}
