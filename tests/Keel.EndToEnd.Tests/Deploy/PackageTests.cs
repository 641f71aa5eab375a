using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.ML;
using Keel.ML.Scoring;
using Xunit;

namespace Keel.EndToEnd.Tests.Deploy;

/// <summary>
/// `keel package` end to end: a model trained as the quickstart trains one, packaged, its store
/// deleted, the scorer started from the package alone, and its answers compared with Keel's own
/// in-process prediction on the same rows.
/// </summary>
public sealed class PackageTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");

    [Fact]
    public async Task The_package_serves_v2_and_invocations_offline_with_keels_own_predictions()
    {
        var dataDir = TempDirs.Create("keel-package-store");
        var package = Path.Combine(TempDirs.Create("keel-package"), "scorer");
        try
        {
            var label = File.ReadLines(Data).First().Split(',')[^1];
            var (code, stdout, stderr) = await KeelCli.RunAsync(["train", "--data", Data, "--label", label, "--task", "binary", "--trials", "2", "--register-as", "bc", "--data-dir", dataDir], timeout: TimeSpan.FromMinutes(5));
            Assert.True(code == 0, stderr + stdout);
            (code, _, stderr) = await KeelCli.RunAsync(["models", "alias", "bc", "champion", "1", "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);

            (code, stdout, stderr) = await KeelCli.RunAsync(["package", "models:/bc@champion", "--output", package, "--data-dir", dataDir]);
            Assert.True(code == 0, stderr + stdout);
            var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(package, "scorer.json")))!;
            Assert.Equal("models:/bc/1", (string?)info["pinned_uri"]);
            Assert.True(File.Exists(Path.Combine(package, "Dockerfile")));
            Assert.Contains("\"--model-version\", \"1\"", await File.ReadAllTextAsync(Path.Combine(package, "Dockerfile")), StringComparison.Ordinal);

            // Nothing of the store is left: whatever the scorer answers, it answers from the package.
            TempDirs.TryDelete(dataDir);
            Assert.False(Directory.Exists(dataDir));

            var rows = File.ReadLines(Data).Skip(1).Take(25).Select(l => l.Split(',')[..^1]).ToArray();
            var columns = File.ReadLines(Data).First().Split(',')[..^1];
            var split = new JsonObject
            {
                ["dataframe_split"] = new JsonObject
                {
                    ["columns"] = new JsonArray([.. columns.Select(c => JsonValue.Create(c))]),
                    ["data"] = new JsonArray([.. rows.Select(r => new JsonArray([.. r.Select(v => JsonValue.Create(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)))]))]),
                },
            }.ToJsonString();
            string expected;
            using (var model = ModelLoader.Load(Path.Combine(package, "model")))
            {
                expected = ScoringJson.FormatResponse(model.Predict(ScoringJson.ParseRequest(split)));
            }

            var port = KeelServerProcess.FreePort();
            using var scorer = StartScorer(package, port);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitReadyAsync(http, scorer);

            using var invocations = await http.PostAsync("/invocations", new StringContent(split, Encoding.UTF8, "application/json"));
            var answer = await invocations.Content.ReadAsStringAsync();
            Assert.True(invocations.IsSuccessStatusCode, answer);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(answer)), $"in-process {expected}\nscorer {answer}");
            Assert.Equal("1", invocations.Headers.GetValues("x-keel-model-version").Single());

            var v2 = new JsonObject
            {
                ["id"] = "req-1",
                ["inputs"] = new JsonArray([.. columns.Select((c, i) => new JsonObject
                {
                    ["name"] = c,
                    ["datatype"] = "FP64",
                    ["shape"] = new JsonArray(rows.Length),
                    ["data"] = new JsonArray([.. rows.Select(r => JsonValue.Create(double.Parse(r[i], System.Globalization.CultureInfo.InvariantCulture)))]),
                })]),
            }.ToJsonString();
            using var infer = await http.PostAsync("/v2/models/bc/infer", new StringContent(v2, Encoding.UTF8, "application/json"));
            var inferred = JsonNode.Parse(await infer.Content.ReadAsStringAsync())!;
            Assert.True(infer.IsSuccessStatusCode, inferred.ToJsonString());
            Assert.Equal("bc", (string?)inferred["model_name"]);
            Assert.Equal("1", (string?)inferred["model_version"]);
            Assert.Equal("req-1", (string?)inferred["id"]);
            var predictions = JsonNode.Parse(expected)!["predictions"]!.AsArray();
            var output = inferred["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "prediction")!;
            Assert.True(
                JsonNode.DeepEquals(new JsonArray([.. predictions.Select(p => p!.DeepClone())]), output["data"]),
                $"in-process {predictions.ToJsonString()}\nV2 {output["data"]!.ToJsonString()}");

            using var versioned = await http.PostAsync("/v2/models/bc/versions/1/infer", new StringContent(v2, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
            using var other = await http.PostAsync("/v2/models/churn/infer", new StringContent(v2, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)JsonNode.Parse(await other.Content.ReadAsStringAsync())!["error_code"]);
            using var broken = await http.PostAsync("/invocations", new StringContent("{\"dataframe_split\": ", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", (string?)JsonNode.Parse(await broken.Content.ReadAsStringAsync())!["error_code"]);
            using var text = await http.PostAsync("/invocations", new StringContent(split, Encoding.UTF8, "text/plain"));
            Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
            var metadata = JsonNode.Parse(await http.GetStringAsync(new Uri("/v2/models/bc", UriKind.Relative)))!;
            Assert.Equal(columns.Length, metadata["inputs"]!.AsArray().Count);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
            TempDirs.TryDelete(Path.GetDirectoryName(package)!);
        }
    }

    [Fact]
    public async Task Bad_options_name_the_option_and_exit_6()
    {
        var existing = TempDirs.Create("keel-package-existing");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(existing, "keep.txt"), "mine");
            var (code, _, stderr) = await KeelCli.RunAsync(["package", "models:/bc/1", "--output", existing]);
            Assert.Equal(6, code);
            Assert.Contains("--output", stderr, StringComparison.Ordinal);
            Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(existing, "keep.txt")));

            var fresh = Path.Combine(existing, "new");
            (code, _, stderr) = await KeelCli.RunAsync(["package", "models:/bc/1", "--output", fresh, "--runtime", "amiga-68k"]);
            Assert.Equal(6, code);
            Assert.Contains("--runtime", stderr, StringComparison.Ordinal);
            Assert.Contains("linux-x64", stderr, StringComparison.Ordinal);

            (code, _, stderr) = await KeelCli.RunAsync(["package", "models:/bc/1", "--output", fresh, "--name", "a/b"]);
            Assert.Equal(6, code);
            Assert.Contains("--name", stderr, StringComparison.Ordinal);

            (code, _, stderr) = await KeelCli.RunAsync(["package", "models:/no-such-model/1", "--output", fresh, "--data-dir", Path.Combine(existing, "store")]);
            Assert.Equal(3, code);
            Assert.False(Directory.Exists(fresh));
        }
        finally
        {
            TempDirs.TryDelete(existing);
        }
    }

    private static ScorerProcess StartScorer(string package, int port)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(package, "run.sh"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }

        // No store to fall back on: the variables a Keel command would read point nowhere.
        psi.Environment["KEEL_TRACKING_URI"] = "http://127.0.0.1:9";
        psi.Environment["MLFLOW_TRACKING_URI"] = "http://127.0.0.1:9";
        psi.Environment["KEEL_DATA_DIR"] = Path.Combine(package, "no-such-dir");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the scorer");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ScorerProcess(process);
    }

    private static async Task WaitReadyAsync(HttpClient http, ScorerProcess scorer)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(scorer.Process.HasExited, "the scorer exited before it was ready");
            try
            {
                using var ready = await http.GetAsync(new Uri("/v2/models/bc/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the scorer did not become ready");
    }

    /// <summary>The scorer process, killed (with run.sh's exec'd dotnet) when the test ends.</summary>
    private sealed class ScorerProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
