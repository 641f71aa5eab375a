using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>The real `keel` CLI, as a user runs it.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Quickstart_logs_an_experiment_that_the_cli_can_list_and_show()
    {
        var dataDir = TempDirs.Create("keel-quickstart");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(["quickstart", "--data-dir", dataDir]);
            Assert.True(code == 0, $"quickstart failed ({code}): {stderr}\n{stdout}");
            Assert.Contains("keel server", stdout, StringComparison.Ordinal);

            var (listCode, listOut, listErr) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(listCode == 0, listErr);
            var experiments = JsonNode.Parse(listOut)!["experiments"]!.AsArray();
            var quick = experiments.Single(e => (string?)e!["name"] == "quickstart")!;
            var expId = (string)quick["experiment_id"]!;

            var (runsCode, runsOut, runsErr) = await KeelCli.RunAsync(["runs", "list", "--experiment-id", expId, "--data-dir", dataDir, "--output", "json"]);
            Assert.True(runsCode == 0, runsErr);
            var runs = JsonNode.Parse(runsOut)!["runs"]!.AsArray();
            Assert.True(runs.Count >= 3, $"expected several runs, got {runs.Count}");
            var first = runs[0]!;
            Assert.NotNull(first["data"]!["params"]);
            Assert.NotNull(first["data"]!["metrics"]);

            var runId = (string)first["info"]!["run_id"]!;
            var (showCode, showOut, showErr) = await KeelCli.RunAsync(["runs", "show", runId, "--data-dir", dataDir]);
            Assert.True(showCode == 0, showErr);
            Assert.Contains(runId, showOut, StringComparison.Ordinal);

            // The quickstart's artifact is really on disk under the data dir.
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(dataDir, "artifacts", expId, runId), "*", SearchOption.AllDirectories));

            // Running it again reuses the experiment.
            (code, _, stderr) = await KeelCli.RunAsync(["quickstart", "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            (_, listOut, _) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.Single(JsonNode.Parse(listOut)!["experiments"]!.AsArray(), e => (string?)e!["name"] == "quickstart");
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
        Assert.NotEqual(0, dupCode);
        Assert.Contains("RESOURCE_ALREADY_EXISTS", dupErr, StringComparison.Ordinal);

        var (showCode, _, showErr) = await KeelCli.RunAsync(["runs", "show", "0123456789abcdef0123456789abcdef", "--tracking-uri", uri]);
        Assert.NotEqual(0, showCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", showErr, StringComparison.Ordinal);
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
