using System.Diagnostics;
using System.Reflection;

namespace Keel.Training;

/// <summary>Where and with what a run was trained: git commit and dirty state, .NET and package versions.</summary>
internal sealed record ReproInfo(string? GitCommit, bool? GitDirty, string Dotnet, IReadOnlyDictionary<string, string> Packages)
{
    public static ReproInfo Capture(string directory)
    {
        var commit = Git(directory, "rev-parse HEAD");
        bool? dirty = commit is null ? null : !string.IsNullOrWhiteSpace(Git(directory, "status --porcelain --untracked-files=no"));
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Microsoft.ML"] = Version(typeof(Microsoft.ML.MLContext).Assembly),
            ["Microsoft.ML.FastTree"] = Version(typeof(Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer).Assembly),
            ["Microsoft.ML.LightGbm"] = Version(typeof(Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer).Assembly),
            ["Keel.ML"] = Version(typeof(TrainingRunner).Assembly),
        };
        return new ReproInfo(commit, dirty, Environment.Version.ToString(), packages);
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Runs git; null when git is absent or the directory is not in a work tree.</summary>
    private static string? Git(string directory, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
