using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// The artifact modes MLflow users run, each against its own `keel server` process:
/// <c>--default-artifact-root</c> (file: and proxied http roots), <c>--no-serve-artifacts</c>,
/// <c>--artifacts-only</c> and <c>--artifacts-destination</c>.
/// </summary>
public sealed class ArtifactModesTests
{
    [Fact]
    public async Task A_file_root_gives_each_experiment_its_folder_and_the_server_reads_what_clients_write_there()
    {
        var root = TempDirs.Create("keel-root");
        try
        {
            await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--default-artifact-root", new Uri(root).AbsoluteUri]);
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var api = new MlflowApi(http);

            var defaultExperiment = await api.GetOkAsync("experiments/get?experiment_id=0");
            Assert.Equal(new Uri(Path.Combine(root, "0")).AbsoluteUri, (string?)defaultExperiment["experiment"]!["artifact_location"]);
            var exp = await api.CreateExperimentAsync();
            var location = (string)(await api.GetOkAsync($"experiments/get?experiment_id={exp}"))["experiment"]!["artifact_location"]!;
            Assert.Equal(new Uri(Path.Combine(root, exp)).AbsoluteUri, location);

            var run = await api.CreateRunAsync(exp);
            var artifactUri = (string)(await api.GetOkAsync($"runs/get?run_id={run}"))["run"]!["info"]!["artifact_uri"]!;
            Assert.Equal($"{location}/{run}/artifacts", artifactUri);

            // The client writes straight into the run's folder, as MLflow's LocalArtifactRepository does.
            var runDir = new Uri(artifactUri).LocalPath;
            Directory.CreateDirectory(Path.Combine(runDir, "model"));
            await File.WriteAllTextAsync(Path.Combine(runDir, "model", "MLmodel"), "flavors: {}");
            await File.WriteAllTextAsync(Path.Combine(runDir, "model", "x.tmp"), "kept");

            var listed = await api.GetOkAsync($"artifacts/list?run_id={run}&path=model");
            Assert.Equal(artifactUri, (string?)listed["root_uri"]);
            Assert.Equal(["model/MLmodel", "model/x.tmp"], listed["files"]!.AsArray().Select(f => (string)f!["path"]!).Order(StringComparer.Ordinal));
            using var download = await http.GetAsync(new Uri($"/get-artifact?run_id={run}&path=model/MLmodel", UriKind.Relative));
            Assert.Equal("text/plain", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("flavors: {}", await download.Content.ReadAsStringAsync());

            // The UI's upload lands in the run's folder, with no temporary file left beside it.
            using (var body = new StringContent("from the browser"))
            {
                using var upload = await http.PostAsync(new Uri($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run}&path=notes/n.txt", UriKind.Relative), body);
                Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
            }

            Assert.Equal("from the browser", await File.ReadAllTextAsync(Path.Combine(runDir, "notes", "n.txt")));
            Assert.Equal(["n.txt"], Directory.GetFileSystemEntries(Path.Combine(runDir, "notes")).Select(Path.GetFileName));
            Assert.Equal(["model", "notes"], Directory.GetFileSystemEntries(runDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // A version registered from the run's folder serves its files through the UI route.
            var name = "file-root-" + Guid.NewGuid().ToString("N");
            await api.OkAsync("registered-models/create", new { name });
            await api.OkAsync("model-versions/create", new { name, source = artifactUri + "/model", run_id = run });
            Assert.Equal("flavors: {}", await http.GetStringAsync(new Uri($"/model-versions/get-artifact?name={name}&version=1&path=MLmodel", UriKind.Relative)));
            var (status, body2) = await api.PostAsync("model-versions/create", new { name, source = artifactUri + "/model" });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("To use a local path as a model version", (string?)body2!["message"], StringComparison.Ordinal);

            // MLflow's prompt-engineering UI records its evaluation table in the run's folder too.
            var (promptStatus, prompt) = await api.PostAsync("runs/create-promptlab-run", new
            {
                experiment_id = exp,
                prompt_template = "Say {{ word }}",
                prompt_parameters = new[] { new { key = "word", value = "hi" } },
                model_route = "chat",
                model_input = "Say hi",
                model_output = "hi",
                mlflow_version = "2.12.2",
            });
            Assert.Equal(HttpStatusCode.OK, promptStatus);
            Assert.Equal("FINISHED", (string?)prompt!["run"]!["info"]!["status"]);
            var promptDir = new Uri((string)prompt["run"]!["info"]!["artifact_uri"]!).LocalPath;
            Assert.StartsWith("""{"columns":["word","prompt","output"]""", await File.ReadAllTextAsync(Path.Combine(promptDir, "eval_results_table.json")), StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(root);
        }
    }

    [Fact]
    public async Task A_relative_root_is_made_absolute_at_start()
    {
        var name = "keel-rel-root-" + Guid.NewGuid().ToString("N");
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--default-artifact-root", name]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var location = (string?)(await new MlflowApi(http).GetOkAsync("experiments/get?experiment_id=0"))["experiment"]!["artifact_location"];
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), name, "0"), location);
    }

    [Fact]
    public async Task A_proxied_http_root_stores_files_in_the_destination_as_mlflow_server_does()
    {
        var dir = TempDirs.Create("keel-http-root");
        var destination = Path.Combine(dir, "mlartifacts");
        var port = KeelServerProcess.FreePort();
        var rootUrl = $"http://127.0.0.1:{port}/api/2.0/mlflow-artifacts/artifacts";
        try
        {
            await using var server = await KeelServerProcess.StartAsync(
                port: port,
                extraArgs: ["--default-artifact-root", rootUrl, "--artifacts-destination", destination, "--backend-store-uri", $"sqlite:///{dir}/mlruns.db"]);
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var api = new MlflowApi(http);
            var run = await api.CreateRunAsync("0");
            var artifactUri = (string)(await api.GetOkAsync($"runs/get?run_id={run}"))["run"]!["info"]!["artifact_uri"]!;
            Assert.Equal($"{rootUrl}/0/{run}/artifacts", artifactUri);

            // MLflow's HttpArtifactRepository PUTs to the run's URL.
            using (var content = new ByteArrayContent("0"u8.ToArray()))
            {
                using var put = await http.PutAsync(new Uri($"{artifactUri}/a.txt"), content);
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            Assert.Equal("0", await File.ReadAllTextAsync(Path.Combine(destination, "0", run, "artifacts", "a.txt")));
            var listed = await api.GetOkAsync($"artifacts/list?run_id={run}");
            Assert.Equal(artifactUri, (string?)listed["root_uri"]);
            Assert.Equal("a.txt", (string?)listed["files"]![0]!["path"]);
            Assert.Equal("0", await http.GetStringAsync(new Uri($"/get-artifact?run_id={run}&path=a.txt", UriKind.Relative)));

            // Keel's own SDK reads the same http proxied location.
            using var client = new Keel.Client.KeelClient(server.BaseUri);
            Assert.Equal("a.txt", (await client.ListArtifactsAsync(run)).Single().Path);
            var local = await client.DownloadArtifactsAsync(run, null, Path.Combine(dir, "download"));
            Assert.Equal("0", await File.ReadAllTextAsync(Path.Combine(local, "a.txt")));
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    [Fact]
    public async Task No_serve_artifacts_turns_the_proxy_off_and_roots_experiments_on_disk()
    {
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--no-serve-artifacts"]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var api = new MlflowApi(http);

        using (var content = new StringContent("x"))
        {
            using var put = await http.PutAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/0/x/artifacts/a.txt", UriKind.Relative), content);
            await AssertOffAsync(put, "--no-serve-artifacts");
        }

        Assert.False(File.Exists(Path.Combine(server.DataDir, "artifacts", "0", "x", "artifacts", "a.txt")));
        var location = (string?)(await api.GetOkAsync("experiments/get?experiment_id=0"))["experiment"]!["artifact_location"];
        Assert.Equal(new Uri(Path.Combine(server.DataDir, "artifacts", "0")).AbsoluteUri, location);

        // Tracking still works, and lists what clients put in the run's folder.
        var run = await api.CreateRunAsync("0");
        var runDir = new Uri((string)(await api.GetOkAsync($"runs/get?run_id={run}"))["run"]!["info"]!["artifact_uri"]!).LocalPath;
        Directory.CreateDirectory(runDir);
        await File.WriteAllTextAsync(Path.Combine(runDir, "a.txt"), "a");
        Assert.Equal("a.txt", (string?)(await api.GetOkAsync($"artifacts/list?run_id={run}"))["files"]![0]!["path"]);
    }

    [Fact]
    public async Task Artifacts_only_serves_the_proxy_and_nothing_else()
    {
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--artifacts-only"]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        using (var content = new StringContent("0"))
        {
            using var put = await http.PutAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/a.txt", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal("0", await http.GetStringAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/a.txt", UriKind.Relative)));
        Assert.Equal("OK", await http.GetStringAsync(new Uri("/health", UriKind.Relative)));
        foreach (var url in new[] { "/api/2.0/mlflow/experiments/search", "/ajax-api/2.0/mlflow/registered-models/search", "/get-artifact?run_id=x&path=a.txt" })
        {
            using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
            await AssertOffAsync(response, "--artifacts-only");
        }

        using var create = await http.PostAsync(new Uri("/api/2.0/mlflow/experiments/create", UriKind.Relative), new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json"));
        await AssertOffAsync(create, "--artifacts-only");
    }

    [Theory]
    [InlineData("--artifacts-only", "--no-serve-artifacts")]
    [InlineData("--serve-artifacts", "--no-serve-artifacts")]
    [InlineData("--default-artifact-root", "s3://bucket/x#frag")]
    [InlineData("--default-artifact-root", "mlflow-artifacts:/../x")]
    public async Task Contradictory_or_invalid_artifact_options_stop_the_server_with_a_message(string option, string value)
    {
        var dir = TempDirs.Create("keel-bad-opts");
        try
        {
            var (exit, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dir, option, value], timeout: TimeSpan.FromMinutes(1));
            Assert.NotEqual(0, exit);
            Assert.Contains(value.StartsWith("--", StringComparison.Ordinal) ? value : "--default-artifact-root", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    private static async Task AssertOffAsync(HttpResponseMessage response, string option)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ENDPOINT_NOT_FOUND", (string?)body["error_code"]);
        Assert.Contains(option, (string?)body["message"], StringComparison.Ordinal);
    }
}
