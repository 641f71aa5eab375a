using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real `keel server` child process on a free loopback port with its own data directory: the
/// black-box tests talk to it exactly as an MLflow client would.
/// </summary>
public sealed class KeelServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownsDataDir;
    private readonly System.Text.StringBuilder _output = new();

    private KeelServerProcess(Process process, Uri baseUri, string dataDir, bool ownsDataDir)
    {
        _process = process;
        BaseUri = baseUri;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        // Drained continuously: a server that logs a lot must never block on a full pipe.
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public Uri BaseUri { get; }

    public string DataDir { get; }

    public int ProcessId => _process.Id;

    /// <param name="dataDir">Data directory; a fresh temp dir (deleted at dispose) when null.</param>
    /// <param name="port">Port; a free one when null.</param>
    /// <param name="extraArgs">More `keel server` options, e.g. --default-artifact-root URI.</param>
    /// <param name="env">Extra environment variables for the server process.</param>
    public static async Task<KeelServerProcess> StartAsync(string? dataDir = null, int? port = null, IEnumerable<string>? extraArgs = null, IDictionary<string, string?>? env = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= TempDirs.Create("keel-e2e");
        port ??= FreePort();
        var process = KeelCli.Start(["server", "--host", "127.0.0.1", "--port", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDir, .. extraArgs ?? []], env);
        var server = new KeelServerProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDir, ownsDataDir);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls /health until it answers OK; fails with the server's output if the process dies.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // flushes the output readers
                throw new InvalidOperationException($"keel server exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                var body = await http.GetStringAsync(new Uri(BaseUri, "/health"));
                if (body == "OK")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("keel server did not become healthy in time");
    }

    /// <summary>Waits (with a deadline) for the process to exit by itself, e.g. on a bad setting; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Kills the process at once, as SIGKILL would: no graceful shutdown.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Sends SIGTERM, as a service manager would, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownsDataDir)
        {
            TempDirs.TryDelete(DataDir);
        }
    }
}
