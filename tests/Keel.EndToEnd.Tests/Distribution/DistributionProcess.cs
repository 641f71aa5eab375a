using System.Diagnostics;
using System.Reflection;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>
/// Runs dotnet (pack, publish, tool install) and installed keel executables as a user's shell would:
/// no developer tracking server in the environment, colours off, every output captured.
/// </summary>
internal static class DistributionProcess
{
    public static readonly string RepoRoot = FindRepoRoot();

    /// <summary>The configuration the tests (and so the CLI beside them) were built in.</summary>
    public static readonly string Configuration =
        typeof(DistributionProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string CliProject => Path.Combine(RepoRoot, "src", "Keel.Cli", "Keel.Cli.csproj");

    /// <summary>The version every Keel assembly carries (Directory.Build.props), without the commit suffix.</summary>
    public static string KeelVersion =>
        typeof(Keel.Core.Configuration.KeelEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("KEEL_TRACKING_URI");
        psi.Environment.Remove("MLFLOW_TRACKING_URI");
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(15));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{fileName} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromMinutes(15)}");
        }

        var output = await stdout + await stderr;
        if (!psi.ArgumentList.Contains("--verbose") && StackTraceLine.IsMatch(output) && Path.GetFileNameWithoutExtension(fileName) == "keel")
        {
            throw new Xunit.Sdk.XunitException($"keel {string.Join(' ', psi.ArgumentList)} printed a stack trace:\n{output}");
        }

        return (p.ExitCode, output);
    }

    /// <summary>A line of a .NET stack trace: "   at Namespace.Type.Method(...)".</summary>
    private static readonly System.Text.RegularExpressions.Regex StackTraceLine = new(@"^\s+at [\w.`<>+\[\],]+\(.*\)", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>A NuGet.config with no package source, so restores and installs see only the folders a command names.</summary>
    public static string OfflineNuGetConfig(string dir)
    {
        var path = Path.Combine(dir, "NuGet.config");
        File.WriteAllText(path, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n");
        return path;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Keel.slnx not found above " + AppContext.BaseDirectory);
    }
}
