using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Application.Monitoring;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Monitoring;

/// <summary>
/// Continuous monitoring on a real server with one-second buckets: traffic whose inputs drift
/// halfway, delayed labels joined by request id (duplicates, unmatched), quality per window, and
/// bad feedback refused without changing anything.
/// </summary>
public sealed class MonitoringApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private WebApplication? _app;
    private string _dir = string.Empty;
    private ServingApi _api = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _dir = TempDirs.Create("keel-monitoring");
        _app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: Path.Combine(_dir, "server"))
        {
            Monitoring = new MonitoringOptions { BucketSeconds = 1, Grace = TimeSpan.FromSeconds(1) },
        });
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _api = new ServingApi(new HttpClient { BaseAddress = _address });
    }

    public async Task DisposeAsync()
    {
        _api.Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        TempDirs.TryDelete(_dir);
    }

    [Fact]
    public async Task Drift_labels_and_quality_follow_the_traffic_window_by_window()
    {
        // The reference: a ~ N(0, 1), b ~ N(5, 2), c ~ U(0, 10), versioned as a dataset.
        var random = new Random(11);
        var csv = new StringBuilder("a,b,c\n");
        for (var i = 0; i < 600; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Normal(random, 0, 1):R},{Normal(random, 5, 2):R},{random.NextDouble() * 10:R}\n");
        }

        var file = Path.Combine(_dir, "reference.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        var add = await KeelCli.RunAsync(["data", "add", file, "--name", "mon-ref", "--tracking-uri", _address.ToString(), "--data-dir", Path.Combine(_dir, "client")]);
        Assert.True(add.ExitCode == 0, add.Stderr);

        var model = await _api.RegisterLinearAsync("mon-linear", [1f, 1f, 1f], 0f);
        await _api.CreateEndpointAsync("mon", model);
        var settings = await _api.OkAsync(HttpMethod.Put, "/api/2.0/keel/endpoints/mon/monitoring/settings", new { reference = "datasets:/mon-ref@latest" });
        Assert.Equal("datasets:/mon-ref/1", (string?)settings["reference"]);

        // Phase A like the reference, then, in later buckets, phase B with a shifted by +4.
        var truth = new Dictionary<string, double>();
        await SendAsync("A", 150, random, shift: 0, truth);
        await NextSecondAsync();
        await SendAsync("B", 150, random, shift: 4, truth);

        var report = await WaitForReportAsync("count=150", r => Traffic(r) == 300);
        var windows = report["windows"]!.AsArray();
        Assert.Equal(2, windows.Count);
        Assert.Equal(150, (long)windows[0]!["traffic"]!);
        Assert.Equal(0, (long)windows[0]!["errors"]!);
        Assert.NotNull(windows[0]!["latency_ms"]!["p99"]);
        Assert.Equal("mon-linear/1", (string?)windows[0]!["versions"]![0]!["version"]);

        // Drift against the reference profile: none in phase A; in phase B, column a (and only a).
        var before = windows[0]!["drift"]!;
        var after = windows[1]!["drift"]!;
        Assert.Equal("datasets:/mon-ref/1", (string?)before["reference"]);
        Assert.Equal(3, (int)before["number_of_columns"]!);
        Assert.False((bool)before["dataset_drift"]!, before.ToJsonString());
        Assert.Equal(0, (int)before["number_of_drifted_columns"]!);
        var columns = after["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!);
        Assert.True((bool)columns["a"]!["drift_detected"]!, after.ToJsonString());
        Assert.False((bool)columns["b"]!["drift_detected"]!, after.ToJsonString());
        Assert.False((bool)columns["c"]!["drift_detected"]!, after.ToJsonString());
        // A reference of at most 1,000 rows makes Evidently choose KS for numeric columns.
        Assert.Equal("ks", (string?)columns["a"]!["stattest"]);
        Assert.False((bool)columns["a"]!["exact"]!);
        Assert.Equal(1, (int)after["number_of_drifted_columns"]!);
        Assert.False((bool)after["dataset_drift"]!, "one of three columns is below the 0.5 drift share");

        // Labels: exact truth for A (the model is exact), truth + 3 for B, a duplicate, unmatched ones.
        var labels = new JsonArray();
        foreach (var (id, y) in truth)
        {
            labels.Add(new JsonObject { ["request_id"] = id, ["label"] = id.StartsWith('B') ? y + 3 : y });
        }

        labels.Add(new JsonObject { ["request_id"] = "A-0", ["label"] = truth["A-0"] });
        for (var i = 0; i < 5; i++)
        {
            labels.Add(new JsonObject { ["request_id"] = $"never-{i}", ["label"] = 1.0 });
        }

        var outcome = await _api.OkAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/mon/feedback", new JsonObject { ["labels"] = labels });
        Assert.Equal(305, (long)outcome["received"]!);
        Assert.Equal(1, (long)outcome["replaced"]!);
        Assert.Equal(300, (long)outcome["matched"]!);
        Assert.Equal(5, (long)outcome["unmatched"]!);

        var labelled = await WaitForReportAsync("count=150", r => r["windows"]!.AsArray().All(w => (long?)w!["quality"]?["labeled"] == 150));
        var quality = labelled["windows"]!.AsArray().Select(w => w!["quality"]!["metrics"]!).ToList();
        Assert.True((double)quality[0]!["rmse"]! < 1e-3, quality[0]!.ToJsonString());
        Assert.Equal(3, (double)quality[1]!["rmse"]!, 3);
        Assert.Equal(3, (double)quality[1]!["mae"]!, 3);
        Assert.Equal(5, (long)labelled["labels"]!["unmatched"]!);

        // Bad feedback is refused with the field named, and changes nothing.
        var labelsBefore = await _api.OkAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/mon/monitoring/labels");
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { }, "labels"),
            (new { labels = Array.Empty<object>() }, "labels"),
            (new { labels = new object[] { new { request_id = "A-1", label = 1.0 }, new { request_id = "", label = 2.0 } } }, "labels[1].request_id"),
            (new { labels = new object[] { new { request_id = "A-1", label = new { x = 1 } } } }, "labels[0].label"),
            (new { labels = new object[] { new { request_id = "A-1" } } }, "labels[0].label"),
        })
        {
            var (status, json, response) = await _api.SendAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/mon/feedback", body);
            response.Dispose();
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(field, (string?)json!["message"], StringComparison.Ordinal);
        }

        var (missing, _, r404) = await _api.SendAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/nope/feedback", new { labels = new object[] { new { request_id = "x", label = 1 } } });
        r404.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(labelsBefore.ToJsonString(), (await _api.OkAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/mon/monitoring/labels")).ToJsonString());

        // Windows must be whole buckets and ranges ordered.
        var (badWindow, badJson, r1) = await _api.SendAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/mon/monitoring?window=5x");
        r1.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, badWindow);
        Assert.Contains("window", (string?)badJson!["message"], StringComparison.Ordinal);
    }

    private async Task SendAsync(string phase, int count, Random random, double shift, Dictionary<string, double> truth)
    {
        for (var i = 0; i < count; i++)
        {
            double a = Normal(random, 0, 1) + shift, b = Normal(random, 5, 2), c = random.NextDouble() * 10;
            var id = $"{phase}-{i}";
            var (status, prediction, _) = await _api.InferAsync("mon", a, b, c, new Dictionary<string, string> { ["x-request-id"] = id });
            Assert.Equal(HttpStatusCode.OK, status);
            truth[id] = prediction!.Value;
        }
    }

    // Phases must fall in different one-second buckets: wait for the next second to start.
    private static Task NextSecondAsync() => Task.Delay(TimeSpan.FromMilliseconds(1001 - DateTimeOffset.UtcNow.Millisecond));

    private async Task<JsonNode> WaitForReportAsync(string query, Func<JsonNode, bool> done)
    {
        using var deadline = Eventually.Deadline(Timeout);
        while (true)
        {
            var report = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/endpoints/mon/monitoring?{query}");
            if (done(report))
            {
                return report;
            }

            if (deadline.IsCancellationRequested)
            {
                var jobs = await _api.OkAsync(HttpMethod.Get, "/api/2.0/keel/jobs?max_results=5");
                throw new TimeoutException($"The monitoring report never satisfied the condition: {report.ToJsonString()}; jobs: {jobs.ToJsonString()}");
            }

            await Task.Delay(200);
        }
    }

    private static long Traffic(JsonNode report) => report["windows"]!.AsArray().Sum(w => (long)w!["traffic"]!);

    private static double Normal(Random random, double mean, double std) =>
        mean + (std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
