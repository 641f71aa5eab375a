using System.Diagnostics;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary><c>keel ui</c>: opens the UI of a running server, or serves the data dir itself when none runs.</summary>
public sealed class UiCliTests
{
    [Fact]
    public async Task Keel_ui_names_the_view_of_the_server_running_on_the_data_dir()
    {
        var dataDir = TempDirs.Create("keel-e2e-ui");
        var server = await KeelServerProcess.StartAsync(dataDir);
        try
        {
            await Eventually.WaitUntilAsync(() => File.Exists(Path.Combine(dataDir, "server.json")), TimeSpan.FromSeconds(10), "server.json written once the server listens");
            var (code, stdout, stderr) = await KeelCli.RunAsync(["ui", "--data-dir", dataDir, "--view", "models/breast-cancer", "--no-open"]);
            Assert.True(code == 0, stderr);
            var url = new Uri(stdout.Split('\n').Single(l => l.StartsWith("Keel UI: ", StringComparison.Ordinal))["Keel UI: ".Length..].Trim());
            Assert.Equal(server.BaseUri.Port, url.Port);
            Assert.Equal("#/models/breast-cancer", url.Fragment);

            // The page it names is the UI.
            using var http = new HttpClient();
            Assert.Contains("<div id=\"app\">", await http.GetStringAsync(url), StringComparison.Ordinal);

            (code, stdout, stderr) = await KeelCli.RunAsync(["ui", "--tracking-uri", server.BaseUri.ToString(), "--no-open"]);
            Assert.True(code == 0, stderr);
            Assert.Contains($"Keel UI: {server.BaseUri}", stdout, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Keel_ui_says_when_the_named_server_does_not_answer()
    {
        var (code, _, stderr) = await KeelCli.RunAsync(["ui", "--tracking-uri", "http://127.0.0.1:9/", "--no-open"]);
        Assert.NotEqual(0, code);
        Assert.Contains("No Keel server answers at http://127.0.0.1:9/", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await KeelCli.RunAsync(["ui", "--tracking-uri", "sqlite:///tmp/x.db", "--no-open"]);
        Assert.NotEqual(0, code);
        Assert.Contains("--tracking-uri 'sqlite:///tmp/x.db' is invalid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keel_ui_serves_the_data_dir_itself_when_no_server_runs()
    {
        var dataDir = TempDirs.Create("keel-e2e-ui-serve");
        using var process = KeelCli.Start(["ui", "--data-dir", dataDir, "--port", "0", "--no-open"]);
        try
        {
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            while (line is not null && !line.StartsWith("Keel UI: ", StringComparison.Ordinal));

            Assert.NotNull(line);
            var url = new Uri(line!["Keel UI: ".Length..].Trim());
            using var http = new HttpClient();
            Assert.Contains("<div id=\"app\">", await http.GetStringAsync(url), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dataDir, "server.json")), "the server it started records itself like keel server");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            TempDirs.TryDelete(dataDir);
        }
    }
}
