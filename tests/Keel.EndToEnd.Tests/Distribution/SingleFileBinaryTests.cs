using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>
/// Issue 16's "Install", the second way: the self-contained single-file binary for linux-x64 runs
/// with no .NET install. Slow (a runtime-specific build of every project), so it runs a command
/// against a store of its own rather than the quickstart, which the tool package test runs.
/// </summary>
public sealed class SingleFileBinaryTests
{
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
