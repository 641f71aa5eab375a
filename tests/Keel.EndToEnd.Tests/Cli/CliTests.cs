using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>The real `keel` CLI, as a user runs it.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Quickstart_trains_registers_aliases_and_scores_and_the_cli_can_browse_it()
    {
        var dataDir = TempDirs.Create("keel-quickstart");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(["quickstart", "--data-dir", dataDir, "--trials", "9"]);
            Assert.True(code == 0, $"quickstart failed ({code}): {stderr}\n{stdout}");
            // The monitoring stage: every request logged and summarised, every label joined.
            Assert.Contains("300 requests logged", stdout, StringComparison.Ordinal);
            Assert.Contains("300 joined to their predictions", stdout, StringComparison.Ordinal);
            Assert.Contains("keel server", stdout, StringComparison.Ordinal);
            // Both rules fired on the drifted window, and the quickstart says so even when the server's
            // own evaluation pass got there before the quickstart asked.
            Assert.Matches(@"Alert quickstart-drift: drift_share = [\d.]+ over 5s \(threshold 0\.[25]\) -> firing", stdout);
            Assert.Matches(@"Alert quickstart-accuracy: accuracy = [\d.]+ over 5s \(threshold 0\.[89]\) -> firing", stdout);
            Assert.DoesNotContain("No alert fired", stdout, StringComparison.Ordinal);
            // The last panel names the web UI and the command that opens it.
            Assert.Contains("keel ui --data-dir", stdout, StringComparison.Ordinal);
            Assert.Contains("http://127.0.0.1:5000/", stdout, StringComparison.Ordinal);

            // The loop closed with no command typed: the drift alert started the retraining pipeline,
            // whose challenger passed the gate, was canaried, promoted, and now holds @champion.
            Assert.Contains("The alert started pipeline run 1", stdout, StringComparison.Ordinal);
            Assert.Contains("Gate pass against models:/breast-cancer/", stdout, StringComparison.Ordinal);
            Assert.Contains("@champion → models:/breast-cancer/3", stdout, StringComparison.Ordinal);
            var (plCode, plOut, plErr) = await KeelCli.RunAsync(["pipelines", "runs", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(plCode == 0, plErr);
            var loopRun = JsonNode.Parse(plOut)!["runs"]!.AsArray().Single()!;
            Assert.Equal(("succeeded", "alert", "quickstart-retrain"), ((string)loopRun["state"]!, (string)loopRun["trigger_kind"]!, (string)loopRun["pipeline"]!));
            (plCode, plOut, plErr) = await KeelCli.RunAsync(["pipelines", "runs", "1", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(plCode == 0, plErr);
            var loopSteps = JsonNode.Parse(plOut)!["steps"]!.AsArray().ToDictionary(x => (string)x!["step"]!, x => (string)x!["state"]!);
            Assert.All(loopSteps.Values, state => Assert.Equal("succeeded", state));
            Assert.Equal(["validate", "train", "gate", "register", "canary", "alias"], loopSteps.Keys);

            var (listCode, listOut, listErr) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(listCode == 0, listErr);
            var quick = JsonNode.Parse(listOut)!["experiments"]!.AsArray().Single(e => (string?)e!["name"] == "quickstart")!;
            var expId = (string)quick["experiment_id"]!;

            // A parent run and one child run per trial, all with params and metrics.
            var (runsCode, runsOut, runsErr) = await KeelCli.RunAsync(["runs", "list", "--experiment-id", expId, "--data-dir", dataDir, "--output", "json"]);
            Assert.True(runsCode == 0, runsErr);
            var runs = JsonNode.Parse(runsOut)!["runs"]!.AsArray();
            Assert.True(runs.Count >= 14, $"expected a baseline (1 + 3 trials) and a tuned parent with 9 trials, got {runs.Count}");
            Assert.All(runs, r => Assert.NotNull(r!["data"]!["metrics"]));
            var parent = runs.Single(r => (string?)r!["info"]!["run_name"] == "quickstart-tuned")!;
            var parentId = (string)parent["info"]!["run_id"]!;

            var (showCode, showOut, showErr) = await KeelCli.RunAsync(["runs", "show", parentId, "--data-dir", dataDir]);
            Assert.True(showCode == 0, showErr);
            Assert.Contains(parentId, showOut, StringComparison.Ordinal);

            // The model package, plots and model card are on disk under the data dir.
            var artifacts = Path.Combine(dataDir, "artifacts", expId, parentId, "artifacts");
            Assert.True(File.Exists(Path.Combine(artifacts, "model", "MLmodel")));
            Assert.NotEmpty(Directory.EnumerateFiles(artifacts, "*.svg", SearchOption.AllDirectories));
            Assert.NotEmpty(Directory.EnumerateFiles(artifacts, "*.md", SearchOption.AllDirectories));

            // Baseline, tuned and retrained model registered; the pipeline's canary promoted the retrained one.
            var (modelCode, modelOut, modelErr) = await KeelCli.RunAsync(["models", "versions", "breast-cancer", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(modelCode == 0, modelErr);
            Assert.Equal(3, JsonNode.Parse(modelOut)!["model_versions"]!.AsArray().Count);
            (modelCode, modelOut, modelErr) = await KeelCli.RunAsync(["models", "show", "breast-cancer", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(modelCode == 0, modelErr);
            var champion = (string?)JsonNode.Parse(modelOut)!["registered_model"]!["aliases"]!.AsArray().Single(a => (string?)a!["alias"] == "champion")!["version"];
            Assert.Equal("3", champion);
            var scored = await File.ReadAllLinesAsync(Path.Combine(dataDir, "quickstart", "predictions.csv"));
            Assert.Equal(570, scored.Length);
            Assert.Contains("prediction", scored[0], StringComparison.Ordinal);

            // The data is a dataset version with a profile and the gate's result, and both runs read it.
            var (dataCode, dataOut, dataErr) = await KeelCli.RunAsync(["data", "show", "datasets:/breast-cancer/1", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(dataCode == 0, dataErr);
            var version = JsonNode.Parse(dataOut)!["version"]!;
            Assert.Equal((569L, "csv"), ((long)version["row_count"]!, (string)version["format"]!));
            Assert.Equal(31, JsonNode.Parse((string)version["profile"]!)!["columns"]!.AsArray().Count);
            Assert.False((bool)JsonNode.Parse((string)version["validation"]!)!["success"]!, "the bundled suite has one warning that fails, which must not block");
            var (lineageCode, lineageOut, lineageErr) = await KeelCli.RunAsync(["lineage", "datasets:/breast-cancer/1", "--direction", "downstream", "--format", "json", "--data-dir", dataDir]);
            Assert.True(lineageCode == 0, lineageErr);
            var edges = JsonNode.Parse(lineageOut)!["edges"]!.AsArray().Select(e => ((string)e!["from"]!, (string)e["relation"]!, (string)e["to"]!)).ToList();
            Assert.Contains(("datasets:/breast-cancer/1", "input", "runs:/" + parentId), edges);
            Assert.Contains(edges, e => e.Item3 == "endpoints:/breast-cancer");
            Assert.True(File.Exists(Path.Combine(dataDir, "quickstart", "lineage.svg")));
            Assert.True(File.Exists(Path.Combine(artifacts, "model", "dataset_profile.json")));

            // Running it again adds a version and moves the alias; the experiment is reused.
            (code, _, stderr) = await KeelCli.RunAsync(["quickstart", "--data-dir", dataDir, "--trials", "9"]);
            Assert.True(code == 0, stderr);
            (_, listOut, _) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.Single(JsonNode.Parse(listOut)!["experiments"]!.AsArray(), e => (string?)e!["name"] == "quickstart");
            (_, modelOut, _) = await KeelCli.RunAsync(["models", "versions", "breast-cancer", "--data-dir", dataDir, "--output", "json"]);
            // Versions dedupe against the latest: after the drifted version, the original sample is a new
            // version again (3), and so are the drifted cases (4), so the loop retrains: two trainings plus one.
            Assert.Equal(6, JsonNode.Parse(modelOut)!["model_versions"]!.AsArray().Count);
            (_, dataOut, _) = await KeelCli.RunAsync(["data", "versions", "breast-cancer", "--data-dir", dataDir, "--output", "json"]);
            Assert.Equal(4, JsonNode.Parse(dataOut)!["versions"]!.AsArray().Count);

            // The frozen holdout is the same data, so it stays at its one version.
            (_, dataOut, _) = await KeelCli.RunAsync(["data", "versions", "breast-cancer-holdout", "--data-dir", dataDir, "--output", "json"]);
            Assert.Single(JsonNode.Parse(dataOut)!["versions"]!.AsArray());
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Cli_talks_to_a_server_and_reports_errors_with_codes()
    {
        await using var server = await KeelServerProcess.StartAsync();
        var uri = server.BaseUri.ToString();
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "from-cli", "--tracking-uri", uri]);
        Assert.True(code == 0, stderr);

        var (listCode, listOut, _) = await KeelCli.RunAsync(["experiments", "list", "--output", "json"], new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = uri });
        Assert.Equal(0, listCode);
        Assert.Contains(JsonNode.Parse(listOut)!["experiments"]!.AsArray(), e => (string?)e!["name"] == "from-cli");

        var (dupCode, _, dupErr) = await KeelCli.RunAsync(["experiments", "create", "from-cli", "--tracking-uri", uri]);
        Assert.Equal(5, dupCode); // conflict: the server's RESOURCE_ALREADY_EXISTS
        Assert.Contains("already exists", dupErr, StringComparison.Ordinal);

        var (showCode, _, showErr) = await KeelCli.RunAsync(["runs", "show", "0123456789abcdef0123456789abcdef", "--tracking-uri", uri]);
        Assert.Equal(3, showCode); // not found: the server's RESOURCE_DOES_NOT_EXIST
        Assert.Contains("0123456789abcdef0123456789abcdef", showErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_binds_loopback_and_shuts_down_on_sigterm()
    {
        var server = await KeelServerProcess.StartAsync();
        try
        {
            Assert.Equal("127.0.0.1", server.BaseUri.Host);
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
