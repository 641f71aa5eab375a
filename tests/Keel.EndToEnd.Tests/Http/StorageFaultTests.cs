using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// A full disk and a data directory that can no longer be written, under a running server: it stays
/// up, says what happened (507 / 503 with a message, and in its log), keeps answering reads, and
/// works again once the fault is gone. Before, such a fault was a 500 that clients retry, or the
/// server died of SIGBUS with nothing logged (a write to its memory-mapped -shm file).
/// </summary>
public sealed class StorageFaultTests
{
    [StorageFaultFact]
    public async Task A_full_disk_answers_507_keeps_serving_reads_and_recovers_when_space_returns()
    {
        var mount = FileSystemFaults.MountTmpfs(16);
        try
        {
            await using var server = await KeelServerProcess.StartAsync(Path.Combine(mount, "data"));
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var api = new MlflowApi(http);
            var run = await api.CreateRunAsync(await api.CreateExperimentAsync());
            Assert.False(File.Exists(Path.Combine(server.DataDir, "keel.db-shm")), "the WAL index must live in the server's heap, not in a mapped file");

            var filler = FileSystemFaults.Fill(mount);

            // The WAL may still have room for a few batches; keep logging until the disk says no.
            var (status, body) = await LogUntilRefusedAsync(api, run, TimeSpan.FromSeconds(90));
            Assert.True(status == (HttpStatusCode)507, $"expected 507, got {(int)status}: {body}");
            Assert.Equal("RESOURCE_EXHAUSTED", (string?)body!["error_code"]);
            Assert.Contains("out of disk space", (string?)body["message"], StringComparison.Ordinal);

            using (var content = new ByteArrayContent(new byte[256 * 1024]))
            {
                using var put = await http.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{run}/big.bin", UriKind.Relative), content);
                var text = await put.Content.ReadAsStringAsync();
                Assert.True(put.StatusCode == (HttpStatusCode)507, $"artifact upload on a full disk answered {(int)put.StatusCode}: {text}");
                Assert.Contains("out of disk space", text, StringComparison.Ordinal);
            }

            // Reads still work, the server is alive and its log says what happened.
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("runs/get?run_id=" + run)).Status);
            Assert.Equal("OK", await http.GetStringAsync(new Uri("/health", UriKind.Relative)));
            Assert.False(server.HasExited);
            Assert.Contains("out of disk space", server.Output, StringComparison.Ordinal);

            File.Delete(filler);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                (status, body) = await api.PostAsync("runs/log-metric", new { run_id = run, key = "after", value = 1.0, timestamp = 1, step = 0 });
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"writes did not recover after space returned: {(int)status} {body?.ToJsonString()}");
                await Task.Delay(100);
            }

            var metrics = (await api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["metrics"]!.AsArray();
            Assert.Contains(metrics, m => (string?)m!["key"] == "after");
        }
        finally
        {
            FileSystemFaults.Unmount(mount);
        }
    }

    [StorageFaultFact]
    public async Task A_data_directory_made_unwritable_under_the_server_answers_503_without_killing_it()
    {
        var dataDir = TempDirs.Create("keel-readonly");
        try
        {
            await using var server = await KeelServerProcess.StartAsync(dataDir);
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var api = new MlflowApi(http);
            var run = await api.CreateRunAsync(await api.CreateExperimentAsync());
            await api.OkAsync("runs/log-metric", new { run_id = run, key = "before", value = 1.0, timestamp = 1, step = 0 });

            // chattr +i: not even root may write these files any more (ext4 refuses the page writes
            // of a shared mapping with SIGBUS, which is what used to kill the server).
            FileSystemFaults.SetImmutable(dataDir, true);
            try
            {
                var (status, body) = await api.PostAsync("runs/log-batch", new
                {
                    run_id = run,
                    metrics = Enumerable.Range(0, 500).Select(i => new { key = "m", value = (double)i, timestamp = 1L, step = (long)i }).ToArray(),
                });
                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)status}: {body?.ToJsonString()}");
                Assert.Equal("IO_ERROR", (string?)body!["error_code"]);
                Assert.Contains("metadata store", (string?)body["message"], StringComparison.Ordinal);

                using (var content = new ByteArrayContent("x"u8.ToArray()))
                {
                    using var put = await http.PutAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/new-dir/x.txt", UriKind.Relative), content);
                    var text = await put.Content.ReadAsStringAsync();
                    Assert.True(put.StatusCode == HttpStatusCode.ServiceUnavailable, $"artifact upload into an immutable directory answered {(int)put.StatusCode}: {text}");
                    Assert.Equal("IO_ERROR", (string?)JsonNode.Parse(text)!["error_code"]);
                }

                // The server keeps answering reads, many of them, on new and pooled connections.
                var reads = Enumerable.Range(0, 40).Select(_ => api.GetAsync("runs/get?run_id=" + run));
                foreach (var (readStatus, _) in await Task.WhenAll(reads))
                {
                    Assert.Equal(HttpStatusCode.OK, readStatus);
                }

                (status, _) = await api.PostAsync("experiments/create", new { name = "while-immutable" });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Equal("OK", await http.GetStringAsync(new Uri("/health", UriKind.Relative)));
                Assert.False(server.HasExited, "the server died: " + server.Output);
                Assert.Contains("could not read or write its files", server.Output, StringComparison.Ordinal);
            }
            finally
            {
                FileSystemFaults.SetImmutable(dataDir, false);
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var (status, body) = await api.PostAsync("runs/log-metric", new { run_id = run, key = "after", value = 2.0, timestamp = 1, step = 0 });
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"writes did not recover: {(int)status} {body?.ToJsonString()}");
                await Task.Delay(100);
            }

            var keys = (await api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["metrics"]!.AsArray().Select(m => (string?)m!["key"]).ToList();
            Assert.Contains("before", keys);
            Assert.Contains("after", keys);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> LogUntilRefusedAsync(MlflowApi api, string run, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (long batch = 0; ; batch++)
        {
            var metrics = Enumerable.Range(0, 1000).Select(i => new { key = "k" + (i % 50), value = i * 1.5, timestamp = batch, step = (batch * 1000) + i }).ToArray();
            var (status, body) = await api.PostAsync("runs/log-batch", new { run_id = run, metrics });
            if (status != HttpStatusCode.OK)
            {
                return (status, body);
            }

            Assert.True(DateTime.UtcNow < deadline, "the full disk never refused a write");
        }
    }
}
