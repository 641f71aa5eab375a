using System.Runtime.InteropServices;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>
/// Issue 16's "Install", the first way: the `keel` .NET tool from a locally built package, installed
/// offline, runs the quickstart with nothing of the repository beside it. Its own class so it runs
/// beside the (slower) single-file test rather than after it.
/// </summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_tool_package_installs_offline_and_runs_the_quickstart()
    {
        var work = TempDirs.Create("keel-install-tool");
        try
        {
            var packages = Path.Combine(work, "packages");
            // The CLI the tests were built against is packed as is: the tool package is what
            // `dotnet pack src/Keel.Cli` makes, without a second build of every project.
            var (packExit, packOutput) = await DistributionProcess.RunAsync("dotnet",
                ["pack", DistributionProcess.CliProject, "-c", DistributionProcess.Configuration, "--no-build", "-o", packages, "-nologo"]);
            Assert.True(packExit == 0, packOutput);
            Assert.True(File.Exists(Path.Combine(packages, $"keel.{DistributionProcess.KeelVersion}.nupkg")), packOutput);

            // Offline: the only package source is the folder the package was just written to.
            var tools = Path.Combine(work, "tools");
            var (installExit, installOutput) = await DistributionProcess.RunAsync("dotnet",
                ["tool", "install", "--tool-path", tools, "keel", "--add-source", packages, "--configfile", DistributionProcess.OfflineNuGetConfig(work)]);
            Assert.True(installExit == 0, installOutput);

            // Run from elsewhere, so nothing of the repository (data/, scorer/) can be found by accident.
            var keel = Path.Combine(tools, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "keel.exe" : "keel");
            var (versionExit, version) = await DistributionProcess.RunAsync(keel, ["--version"]);
            Assert.Equal(0, versionExit);
            Assert.StartsWith(DistributionProcess.KeelVersion, version.Trim(), StringComparison.Ordinal);

            // The quickstart needs the sample data and the native libraries (DuckDB, LightGBM, ONNX
            // Runtime) that travel inside the package.
            var data = Path.Combine(work, "data");
            var (quickExit, quick) = await DistributionProcess.RunAsync(keel, ["quickstart", "--data-dir", data, "--trials", "3"]);
            Assert.True(quickExit == 0, quick);
            Assert.Contains("Close the loop", quick, StringComparison.Ordinal);
            Assert.Contains("Predictions written to", quick, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "quickstart", "predictions.csv")), quick);

            // `keel package` copies the scorer runtime shipped inside the tool package.
            Assert.True(Directory.EnumerateFiles(tools, "keel-scorer.dll", SearchOption.AllDirectories).Any(), "the scorer runtime is missing from the installed tool");
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }
}
