using System.Runtime.InteropServices;
using Keel.Core.Errors;

namespace Keel.Cli.Commands.Package;

/// <summary>
/// The built standalone scorer that ships with the CLI (a <c>scorer/</c> folder beside keel.dll, or
/// <c>KEEL_SCORER_DIR</c>), and copying it for one target platform: native libraries of other
/// platforms (hundreds of MB for ONNX Runtime alone) stay behind.
/// </summary>
internal static class ScorerRuntime
{
    public const string Variable = "KEEL_SCORER_DIR";
    public const string EntryAssembly = "keel-scorer.dll";

    /// <summary>Copies every platform's native libraries.</summary>
    public const string AnyRuntime = "any";

    /// <summary>The platform of this machine, e.g. linux-x64.</summary>
    public static string CurrentRuntime => RuntimeInformation.RuntimeIdentifier;

    public static string Locate()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable(Variable), Path.Combine(AppContext.BaseDirectory, "scorer") };
        return candidates.FirstOrDefault(d => !string.IsNullOrEmpty(d) && File.Exists(Path.Combine(d, EntryAssembly)))
            ?? throw new KeelException(ErrorCode.InternalError, $"The scorer runtime is not installed beside keel: expected {Path.Combine(AppContext.BaseDirectory, "scorer", EntryAssembly)} (or set {Variable}). Rebuild the CLI.");
    }

    /// <summary>Platforms the runtime has native libraries for (the folders under runtimes/).</summary>
    public static IReadOnlyList<string> Platforms(string runtimeDir)
    {
        var runtimes = Path.Combine(runtimeDir, "runtimes");
        return Directory.Exists(runtimes) ? [.. Directory.GetDirectories(runtimes).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>The files to copy for <paramref name="runtime"/>: everything but other platforms' runtimes/ folders.</summary>
    public static IReadOnlyList<string> FilesFor(string runtimeDir, string runtime)
    {
        var keep = Chain(runtime);
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(runtimeDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(runtimeDir, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Length > 2 && parts[0] == "runtimes" && keep is not null && !keep.Contains(parts[1]))
            {
                continue;
            }

            files.Add(relative);
        }

        return files;
    }

    /// <summary>A platform and the more general ones .NET also probes (linux-arm64 → linux, unix); null for any.</summary>
    private static HashSet<string>? Chain(string runtime)
    {
        if (runtime == AnyRuntime)
        {
            return null;
        }

        var os = runtime.Split('-')[0];
        var chain = new HashSet<string>(StringComparer.Ordinal) { runtime, os };
        if (os is "linux" or "osx" or "linux-musl")
        {
            chain.Add("unix");
        }

        return chain;
    }
}
