using System.Runtime.InteropServices;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>
/// Issue 16's "Install": a new user gets `keel` from a locally built tool package (offline) or a
/// self-contained single-file binary, and it runs with nothing from the repository beside it. Slow
/// (a package of every platform's native libraries, a self-contained publish), so the quickstart
/// runs from the tool package only; the binary runs a command against a store of its own.
/// </summary>
public sealed class InstallTests
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

    [LinuxX64Fact]
    public async Task The_single_file_binary_runs_on_its_own()
    {
        var work = TempDirs.Create("keel-install-binary");
        try
        {
            var bin = Path.Combine(work, "bin");
            // --artifacts-path keeps this runtime-specific build's bin/ and obj/ out of the
            // repository's, which the other tests are running from.
            var (publishExit, publishOutput) = await DistributionProcess.RunAsync("dotnet",
            [
                "publish", DistributionProcess.CliProject, "-c", DistributionProcess.Configuration, "-r", "linux-x64", "--self-contained",
                "-p:PublishSingleFile=true", "-p:IncludeAllContentForSelfExtract=true", "-p:DebugType=none",
                "--artifacts-path", Path.Combine(work, "build"), "-o", bin, "-nologo",
            ]);
            Assert.True(publishExit == 0, publishOutput);
            TempDirs.TryDelete(Path.Combine(work, "build"));

            // One file: the data, the scorer runtime and the native libraries are inside it.
            Assert.Equal(new[] { "keel" }, Directory.GetFileSystemEntries(bin).Select(Path.GetFileName).ToArray());
            var keel = Path.Combine(bin, "keel");

            // No .NET install needed: DOTNET_ROOT points nowhere. The bundle extracts into the test's folder.
            var env = new Dictionary<string, string>
            {
                ["DOTNET_ROOT"] = Path.Combine(work, "no-dotnet"),
                ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(work, "extract"),
                ["KEEL_DATA_DIR"] = Path.Combine(work, "default-data"),
            };
            var (versionExit, version) = await DistributionProcess.RunAsync(keel, ["--version"], env);
            Assert.Equal(0, versionExit);
            Assert.StartsWith(DistributionProcess.KeelVersion, version.Trim(), StringComparison.Ordinal);

            // A real command against a store of its own: SQLite's native library comes out of the bundle.
            var data = Path.Combine(work, "data");
            var (createExit, created) = await DistributionProcess.RunAsync(keel, ["experiments", "create", "from-the-binary", "--data-dir", data], env);
            Assert.True(createExit == 0, created);
            var (listExit, list) = await DistributionProcess.RunAsync(keel, ["experiments", "list", "--data-dir", data, "--output", "json"], env);
            Assert.True(listExit == 0, list);
            Assert.Contains("from-the-binary", list, StringComparison.Ordinal);

            // The scorer runtime for `keel package` is extracted beside the CLI's own files.
            Assert.True(Directory.EnumerateFiles(Path.Combine(work, "extract"), "keel-scorer.dll", SearchOption.AllDirectories).Any(), "the scorer runtime is missing from the bundle");
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }
}
