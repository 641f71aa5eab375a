using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>What a crash must not lose.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public Task Sigkill_during_ingestion_loses_no_acknowledged_batch() => KillDuringIngestionAsync([]);

    [PostgresServerFact]
    public async Task Sigkill_during_ingestion_on_PostgreSQL_loses_no_acknowledged_batch()
    {
        await using var database = TestPostgresSchema.Create();
        await KillDuringIngestionAsync(["--backend-store-uri", database.Uri]);
    }

    private static async Task KillDuringIngestionAsync(string[] serverArgs)
    {
        var dataDir = TempDirs.Create("keel-kill");
        try
        {
            string run;
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
            var port = KeelServerProcess.FreePort();
            await using (var server = await KeelServerProcess.StartAsync(dataDir, port, serverArgs))
            {
                using var http = new HttpClient { BaseAddress = server.BaseUri };
                var api = new MlflowApi(http);
                run = await api.CreateRunAsync(await api.CreateExperimentAsync());
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (long batch = w; !stop.IsCancellationRequested; batch += 4)
                    {
                        var metrics = Enumerable.Range(0, 200).Select(i => new { key = "m", value = (double)i, timestamp = batch, step = (batch * 200) + i }).ToArray();
                        try
                        {
                            var (status, _) = await api.PostAsync("runs/log-batch", new { run_id = run, metrics });
                            if (status == HttpStatusCode.OK)
                            {
                                acknowledged.Add(batch);
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return;
                        }
                        catch (TaskCanceledException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                // Kill once a good number of batches have been acknowledged, mid-stream.
                await Eventually.WaitUntilAsync(() => acknowledged.Count >= 40, TimeSpan.FromSeconds(60), "40 acknowledged batches");

                server.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            await using var restarted = await KeelServerProcess.StartAsync(dataDir, KeelServerProcess.FreePort(), serverArgs);
            using var http2 = new HttpClient { BaseAddress = restarted.BaseUri };
            var api2 = new MlflowApi(http2);
            var (_, hist) = await api2.GetAsync($"metrics/get-history?run_id={run}&metric_key=m");
            var steps = hist!["metrics"]!.AsArray().Select(m => (long)m!["step"]!).ToHashSet();
            foreach (var batch in acknowledged)
            {
                Assert.True(steps.Contains(batch * 200) && steps.Contains((batch * 200) + 199), $"acknowledged batch {batch} was lost");
            }

            // Every batch is all or nothing: a batch's points are all there or none are.
            var perBatch = steps.GroupBy(s => s / 200).ToList();
            Assert.All(perBatch, g => Assert.Equal(200, g.Count()));

            // And the restarted server takes writes again.
            await api2.OkAsync("runs/set-tag", new { run_id = run, key = "after", value = "restart" });
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
