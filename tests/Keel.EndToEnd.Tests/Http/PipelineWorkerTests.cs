using System.Text.Json.Nodes;
using Keel.Client;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Pipelines.Hosting;
using Keel.Server;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// A server that runs no steps itself (KEEL_PIPELINE_IN_PROCESS=false): a run's steps wait queued as
/// jobs until a <c>keel worker</c> process pointed at the server's URL takes and runs them.
/// </summary>
public sealed class PipelineWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly InProcessServers _servers = new();
    private KeelClient _client = null!;

    public Task InitializeAsync()
    {
        (_client, _) = _servers.Start(new KeelServerOptions(Port: 0) { Pipelines = new PipelineHostOptions { InProcess = false, SchedulerInterval = TimeSpan.FromMilliseconds(200) } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    [Fact]
    public async Task Steps_stay_queued_until_a_keel_worker_replica_runs_them()
    {
        await _client.ApplyPipelineAsync(PipelineApiTests.Diamond("e2e-worker"));
        var runId = (await _client.StartPipelineRunAsync("e2e-worker")).Run!.RunId;

        // The first step's job is in the queue, and nothing in the server takes it.
        using var http = new HttpClient { BaseAddress = _client.TrackingUri };
        var jobs = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/2.0/keel/jobs?kind=pipeline-step", UriKind.Relative)))!["jobs"]!.AsArray();
        var job = Assert.Single(jobs);
        Assert.Equal("queued", (string?)job!["state"]);
        Assert.Equal("a", (string?)job["payload"]!["step"]);
        var queued = await _client.GetPipelineRunAsync(runId);
        Assert.Equal("running", queued.Run!.State);
        Assert.All(queued.Steps, s => Assert.Equal("queued", s.State));

        using var worker = KeelCli.Start(
            ["worker", "--tracking-uri", _client.TrackingUri.ToString().TrimEnd('/'), "--kinds", "pipeline-step", "--poll-seconds", "0.1", "--worker-id", "e2e-worker-1"]);
        var output = new System.Text.StringBuilder();
        worker.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        worker.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        try
        {
            var deadline = DateTime.UtcNow + Deadline;
            Keel.Core.Wire.PipelineRunResponse run;
            while ((run = await _client.GetPipelineRunAsync(runId)).Run!.State is "queued" or "running")
            {
                if (worker.HasExited || DateTime.UtcNow > deadline)
                {
                    string text;
                    lock (output)
                    {
                        text = output.ToString();
                    }

                    throw new TimeoutException($"run {runId} did not end ({run.Run.State}); the worker {(worker.HasExited ? $"exited with {worker.ExitCode}" : "is running")}: {text}");
                }

                // A short poll interval, not a synchronisation: the run's state decides.
                await Task.Delay(100);
            }

            Assert.Equal("succeeded", run.Run.State);
            Assert.All(run.Steps, s => Assert.Equal("succeeded", s.State));
            // The worker completes a job after its step has moved the run on, so the last one may still be leased a moment.
            while ((jobs = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/2.0/keel/jobs?kind=pipeline-step", UriKind.Relative)))!["jobs"]!.AsArray())
                .Any(j => (string?)j!["state"] != "succeeded") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(4, jobs.Count);
            Assert.All(jobs, j => Assert.Equal("e2e-worker-1", (string?)j!["lease_owner"]));
            Assert.All(jobs, j => Assert.Equal("succeeded", (string?)j!["state"]));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }
}
