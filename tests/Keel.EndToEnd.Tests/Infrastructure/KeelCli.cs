using System.Diagnostics;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the real `keel` CLI (the built keel.dll) as a child process.</summary>
public static class KeelCli
{
    private static readonly Lazy<string> KeelDll = new(FindKeelDll);

    private static readonly string ScratchDataDir = Path.Combine(Path.GetTempPath(), "keel-e2e-default-data-dir");

    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? env = null, bool redirectInput = false)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(KeelDll.Value);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The tests decide where data goes; never the developer's own ~/.keel or tracking server.
        psi.Environment.Remove("KEEL_TRACKING_URI");
        psi.Environment.Remove("MLFLOW_TRACKING_URI");
        // Anything a command keeps under the default data dir (e.g. the model cache of a remote
        // `keel predict`) goes to a scratch dir, never the developer's ~/.keel.
        psi.Environment["KEEL_DATA_DIR"] = ScratchDataDir;
        psi.Environment["NO_COLOR"] = "1";
        if (env is not null)
        {
            // A null value removes the variable (e.g. NO_COLOR, to see what a plain redirected run prints).
            foreach (var (k, v) in env)
            {
                if (v is null)
                {
                    psi.Environment.Remove(k);
                }
                else
                {
                    psi.Environment[k] = v;
                }
            }
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start keel");
    }

    /// <summary>Runs keel to completion and returns its exit code and output.</summary>
    /// <param name="stdin">Text written to the command's standard input (then closed), or null to leave it alone.</param>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? stdin = null)
    {
        args = args.ToList();
        using var p = Start(args, env, redirectInput: stdin is not null);
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        var (outText, errText) = (await stdout, await stderr);
        // Issue 16: no input makes the CLI print a stack trace; only --verbose shows one.
        if (!args.Contains("--verbose") && (StackTrace.IsMatch(errText) || StackTrace.IsMatch(outText)))
        {
            throw new Xunit.Sdk.XunitException($"keel {string.Join(' ', args)} printed a stack trace (exit {p.ExitCode}):\n{errText}\n{outText}");
        }

        return (p.ExitCode, outText, errText);
    }

    /// <summary>A line of a .NET stack trace: "   at Namespace.Type.Method(...)".</summary>
    public static readonly System.Text.RegularExpressions.Regex StackTrace = new(@"^\s+at [\w.`<>+\[\],]+\(.*\)", System.Text.RegularExpressions.RegexOptions.Multiline);

    private static string FindKeelDll()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "keel.dll");
        if (File.Exists(here) && File.Exists(Path.Combine(AppContext.BaseDirectory, "keel.runtimeconfig.json")))
        {
            return here;
        }

        throw new FileNotFoundException($"keel.dll with its runtimeconfig not found beside the tests in {AppContext.BaseDirectory}");
    }
}
