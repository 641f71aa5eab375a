using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Keel.Bench;

/// <summary>Starts the Release-built `keel server` on a free loopback port and a fresh data dir.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;

    private ServerUnderTest(Process process, Uri baseUri, string dataDir, TimeSpan startup)
    {
        _process = process;
        BaseUri = baseUri;
        DataDir = dataDir;
        Startup = startup;
    }

    public Uri BaseUri { get; }

    /// <summary>The server's process id (its replica name ends with it).</summary>
    public int ProcessId => _process.Id;

    public string DataDir { get; }

    /// <summary>From process start to the first healthy /health answer.</summary>
    public TimeSpan Startup { get; }

    /// <param name="keelDll">The Release-built keel.dll.</param>
    /// <param name="extraArgs">More `keel server` options, e.g. `--backend-store-uri postgresql://...`.</param>
    public static Task<ServerUnderTest> StartAsync(string keelDll, params string[] extraArgs) => StartAsync(keelDll, new Dictionary<string, string>(), extraArgs);

    /// <param name="keelDll">The Release-built keel.dll.</param>
    /// <param name="environment">Environment variables for the server process, e.g. KEEL_ADMIN_USERNAME.</param>
    /// <param name="extraArgs">More `keel server` options.</param>
    public static async Task<ServerUnderTest> StartAsync(string keelDll, IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "keel-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { keelDll, "server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDir }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        var sw = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var uri = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        while (true)
        {
            try
            {
                if (await http.GetStringAsync(new Uri(uri, "/health")) == "OK")
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
            {
                throw new InvalidOperationException("keel server did not start");
            }
        }

        return new ServerUnderTest(process, uri, dataDir, sw.Elapsed);
    }

    /// <summary>Resident set size of the server process, from /proc.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>Peak resident set size of the server process so far (VmHWM), from /proc.</summary>
    public long PeakRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>CPU time the server process has used so far (user + system), from /proc.</summary>
    public TimeSpan CpuTime()
    {
        // Fields 14 and 15 of /proc/pid/stat, in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Kills the server (SIGKILL: what it acknowledged must already be stored) and keeps its data dir until disposed.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(DataDir, recursive: true);
    }
}
