using System.Net;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>The .NET SDK against a real `keel server` process.</summary>
[Collection(ServerCollection.Name)]
public sealed class SdkTests(ServerFixture fixture)
{
    [Fact]
    public async Task Sdk_logs_a_run_with_artifacts_and_reads_it_back()
    {
        using var client = new KeelClient(fixture.Server.BaseUri);
        var exp = await client.GetOrCreateExperimentAsync("sdk-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(exp, await client.GetOrCreateExperimentAsync((await client.GetExperimentAsync(exp)).Name));
        var run = await client.StartRunAsync(exp, "sdk-run", new Dictionary<string, string> { ["team"] = "ml" });
        var id = run.Info.RunId;
        await client.LogParamAsync(id, "lr", "0.01");
        await client.LogMetricsAsync(id, Enumerable.Range(0, 2500).Select(i => new Metric("loss", 1.0 / (i + 1), 1_700_000_000_000 + i, i)));

        var local = TempDirs.Create("keel-sdk");
        try
        {
            var src = Path.Combine(local, "src");
            Directory.CreateDirectory(Path.Combine(src, "model"));
            await File.WriteAllTextAsync(Path.Combine(src, "model", "MLmodel"), "flavors: {}\n");
            await File.WriteAllBytesAsync(Path.Combine(src, "model", "weights.bin"), [1, 2, 3, 4, 5]);
            await File.WriteAllTextAsync(Path.Combine(src, "notes.txt"), "hello");
            await client.UploadArtifactsAsync(id, src);

            var top = await client.ListArtifactsAsync(id);
            Assert.Equal(["model", "notes.txt"], top.Select(e => e.Path).Order().ToArray());
            var model = await client.ListArtifactsAsync(id, "model");
            Assert.Equal(["model/MLmodel", "model/weights.bin"], model.Select(e => e.Path).Order().ToArray());

            var dest = Path.Combine(local, "dest");
            await client.DownloadArtifactsAsync(id, "model", dest);
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await File.ReadAllBytesAsync(Path.Combine(dest, "model", "weights.bin")));
        }
        finally
        {
            TempDirs.TryDelete(local);
        }

        var info = await client.EndRunAsync(id);
        Assert.Equal(RunStatus.Finished, info.Status);
        var history = await client.GetMetricHistoryAsync(id, "loss");
        Assert.Equal(2500, history.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(m => m.Step));
        var got = await client.GetRunAsync(id);
        Assert.Equal("0.01", Assert.Single(got.Data.Params).Value);
        Assert.Equal(1.0 / 2500, Assert.Single(got.Data.Metrics).Value);
        Assert.Contains(got.Data.Tags, t => t.Key == "team" && t.Value == "ml");

        var found = await client.SearchRunsAsync([exp], "metrics.loss < 0.01 and params.lr = '0.01'", ["metrics.loss ASC"], 10);
        Assert.Equal(id, Assert.Single(found.Items).Info.RunId);
    }

    [Fact]
    public async Task Server_errors_come_back_as_typed_exceptions_with_the_servers_code()
    {
        using var client = new KeelClient(fixture.Server.BaseUri);
        var missing = await Assert.ThrowsAsync<KeelException>(() => client.GetRunAsync("0123456789abcdef0123456789abcdef"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        var name = "dup-" + Guid.NewGuid().ToString("N");
        await client.CreateExperimentAsync(name);
        var duplicate = await Assert.ThrowsAsync<KeelException>(() => client.CreateExperimentAsync(name));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, duplicate.Code);
        var bad = await Assert.ThrowsAsync<KeelException>(() => client.SearchRunsAsync(["0"], "metrics.x >> 1", null, 10));
        Assert.Equal(ErrorCode.InvalidParameterValue, bad.Code);
        Assert.Contains("Invalid comparator", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idempotent_calls_are_retried_through_transient_failures_but_creates_are_not()
    {
        using var flaky = new FlakyHandler(failures: 2);
        using var http = new HttpClient(flaky);
        using var client = new KeelClient(fixture.Server.BaseUri, http, new KeelClientOptions { BackoffBase = TimeSpan.FromMilliseconds(10) });
        var experiment = await client.GetExperimentAsync("0");
        Assert.Equal("Default", experiment.Name);
        Assert.Equal(3, flaky.Calls);

        flaky.Reset(failures: 1);
        var error = await Assert.ThrowsAsync<KeelException>(() => client.CreateExperimentAsync("never-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
        Assert.Equal(1, flaky.Calls);
    }

    /// <summary>Answers 503 for the first N calls, then forwards to the real server.</summary>
    private sealed class FlakyHandler(int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _failures = failures;

        public int Calls { get; private set; }

        public void Reset(int failures)
        {
            _failures = failures;
            Calls = 0;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            if (_failures-- > 0)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"try later\"}", System.Text.Encoding.UTF8, "application/json"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
