using Xunit;
using System.Text.Json;
using Keel.EndToEnd.Tests.Infrastructure;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// A running server holds its data directory's database; CLI commands on that directory find the
/// server through <c>server.json</c> and go through it, and open the files directly once it stops.
/// Settings from the environment are checked when a command starts, naming the variable.
/// </summary>
public sealed class ServerRecordCliTests
{
    [Fact]
    public async Task Cli_on_a_served_data_dir_goes_through_the_server_and_opens_the_files_after_it_stops()
    {
        var dataDir = TempDirs.Create("keel-e2e-record");
        var server = await KeelServerProcess.StartAsync(dataDir);
        try
        {
            var recordPath = Path.Combine(dataDir, "server.json");
            await Eventually.WaitUntilAsync(() => File.Exists(recordPath), TimeSpan.FromSeconds(10), "server.json written once the server listens");
            using (var record = JsonDocument.Parse(await File.ReadAllTextAsync(recordPath)))
            {
                Assert.Equal(server.ProcessId, record.RootElement.GetProperty("pid").GetInt32());
                Assert.Equal(server.BaseUri.Port, new Uri(record.RootElement.GetProperty("url").GetString()!).Port);
            }

            var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "through-the-server", "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            Assert.Contains("going through it", stderr, StringComparison.Ordinal);

            // The server itself saw the write: it answers for the new experiment.
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var found = await http.GetStringAsync(new Uri("/api/2.0/mlflow/experiments/get-by-name?experiment_name=through-the-server", UriKind.Relative));
            Assert.Contains("through-the-server", found, StringComparison.Ordinal);

            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(20)));
            Assert.False(File.Exists(recordPath), "a clean shutdown removes server.json");

            var (listCode, listOut, listErr) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(listCode == 0, listErr);
            Assert.DoesNotContain("going through", listErr, StringComparison.Ordinal);
            Assert.Contains("through-the-server", listOut, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task A_stale_record_is_ignored()
    {
        var dataDir = TempDirs.Create("keel-e2e-stale");
        try
        {
            // A server that died without cleaning up: a pid that is not running.
            await File.WriteAllTextAsync(Path.Combine(dataDir, "server.json"), """{"url":"http://127.0.0.1:9/","pid":2147483000}""");
            var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "direct", "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            Assert.DoesNotContain("going through", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Theory]
    [InlineData("KEEL_PREDICTION_LOG_SAMPLE_RATE", "2", "a number from 0 to 1")]
    [InlineData("KEEL_PREDICTION_LOG_RETENTION_DAYS", "soon", "a whole number from 1 to")]
    [InlineData("MLFLOW_DEPLOYMENTS_TARGET", "ftp://gateway", "an http:// or https:// URL")]
    public async Task Server_refuses_to_start_on_a_bad_setting_naming_the_variable(string variable, string value, string rule)
    {
        var dataDir = TempDirs.Create("keel-e2e-badenv");
        try
        {
            var port = KeelServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (code, stdout, stderr) = await KeelCli.RunAsync(
                ["server", "--host", "127.0.0.1", "--port", port, "--data-dir", dataDir],
                new Dictionary<string, string?> { [variable] = value },
                TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            // The console wraps long lines: compare with the wrapping undone.
            var output = System.Text.RegularExpressions.Regex.Replace(stdout + stderr, @"\s+", " ");
            Assert.Contains($"{variable}='{value}'", output, StringComparison.Ordinal);
            Assert.Contains(rule, output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dataDir, "server.json")));
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Cli_refuses_a_bad_tracking_uri_from_the_environment_naming_the_variable()
    {
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list"], new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "gopher://nowhere" });
        Assert.NotEqual(0, code);
        Assert.Contains("MLFLOW_TRACKING_URI='gopher://nowhere'", System.Text.RegularExpressions.Regex.Replace(stderr, @"\s+", " "), StringComparison.Ordinal);
    }
}
