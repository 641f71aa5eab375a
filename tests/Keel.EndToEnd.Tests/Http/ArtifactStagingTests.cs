using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// Uploads stream into a staging directory and are renamed into place: an upload cut off by a
/// killed server never shows as an artifact, and what it left behind is removed once stale.
/// </summary>
public sealed class ArtifactStagingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_killed_upload_is_never_listed_and_its_leftover_is_removed_once_stale()
    {
        var dataDir = TempDirs.Create("keel-staging");
        var staging = Path.Combine(dataDir, "artifacts", ".keel-staging");
        try
        {
            var server = await KeelServerProcess.StartAsync(dataDir);
            await using (server)
            {
                // Half of a large upload, then the server dies under it.
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port);
                var stream = tcp.GetStream();
                var head = $"PUT /api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/model.bin HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nContent-Length: 100000000\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(new byte[1024 * 1024]);
                await WaitUntilAsync(() => Directory.Exists(staging) && Directory.EnumerateFiles(staging).Any(f => new FileInfo(f).Length > 0));
                server.Kill();
            }

            var leftovers = Directory.GetFiles(staging);
            Assert.NotEmpty(leftovers);
            Assert.False(Directory.Exists(Path.Combine(dataDir, "artifacts", "1", "r", "artifacts")) && Directory.EnumerateFileSystemEntries(Path.Combine(dataDir, "artifacts", "1", "r", "artifacts")).Any());

            // Age the leftover past the sweep's threshold; a fresh one (a live upload of a replica) must survive.
            foreach (var file in leftovers)
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));
            }

            var fresh = Path.Combine(staging, "live-upload.part");
            await File.WriteAllTextAsync(fresh, "in flight");

            await using var restarted = await KeelServerProcess.StartAsync(dataDir);
            await WaitUntilAsync(() => leftovers.All(f => !File.Exists(f)));
            Assert.True(File.Exists(fresh));

            using var http = new HttpClient { BaseAddress = restarted.BaseUri };
            var top = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts", UriKind.Relative)))!;
            Assert.Null(top["files"]);
            using var get = await http.GetAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/model.bin", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("condition not met before the deadline");
            }

            await Task.Delay(50);
        }
    }
}
