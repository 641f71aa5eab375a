using System.CommandLine;
using System.Diagnostics;
using Keel.Cli.Infrastructure;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Hosting;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Keel.Cli.Commands.Ui;

/// <summary>
/// <c>keel ui [--view PATH]</c>: opens the web UI in the browser. It uses the server named by
/// <c>--tracking-uri</c> (or KEEL_TRACKING_URI / MLFLOW_TRACKING_URI), else the <c>keel server</c>
/// already running on the data dir, else it starts one on the data dir itself (as <c>mlflow ui</c>
/// does) and serves until Ctrl-C.
/// </summary>
internal static class UiCommand
{
    public static Command Create()
    {
        var trackingUri = new Option<string?>("--tracking-uri") { Description = "Keel server URI (http[s]://...). Default: KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI, then the server running on the data dir, else one started here." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory to serve when no server is running. Default: KEEL_DATA_DIR, else ~/.keel." };
        var port = new Option<int>("--port", "-p") { Description = "Port of the server started here (0 picks a free one).", DefaultValueFactory = _ => 5000 };
        var view = new Option<string?>("--view") { Description = "The view to open, e.g. models/breast-cancer, endpoints/breast-cancer or pipelines/runs/1. Default: the overview." };
        var noOpen = new Option<bool>("--no-open") { Description = "Print the URL without opening a browser." };
        var command = new Command("ui", "Open Keel's web UI in a browser (starting a server on the data dir when none is running).") { trackingUri, dataDir, port, view, noOpen };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var fragment = Fragment(result.GetValue(view));
            if (Endpoints.ServerOptions.RemoteServer(result.GetValue(trackingUri)) is { } remote)
            {
                return await OpenRunningAsync(remote, fragment, result.GetValue(noOpen), cancellationToken).ConfigureAwait(false);
            }

            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            if (await ServerRecord.FindLiveAsync(dir, cancellationToken).ConfigureAwait(false) is { } running)
            {
                return await OpenRunningAsync(running.Url, fragment, result.GetValue(noOpen), cancellationToken).ConfigureAwait(false);
            }

            return await ServeAsync(dir, result.GetValue(port), fragment, result.GetValue(noOpen)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The page's fragment for a view: "models/x" → "#/models/x"; none → the overview.</summary>
    internal static string Fragment(string? view)
    {
        var path = (view ?? string.Empty).Trim().TrimStart('#').TrimStart('/');
        return path.Length == 0 ? string.Empty : "#/" + path;
    }

    private static async Task<int> OpenRunningAsync(Uri server, string fragment, bool noOpen, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var answer = await http.GetAsync(new Uri(server, "/health"), cancellationToken).ConfigureAwait(false);
            answer.EnsureSuccessStatusCode();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new KeelException(Core.Errors.ErrorCode.TemporarilyUnavailable, $"No Keel server answers at {server} ({e.Message}). Start one with `keel server`, or run `keel ui` without --tracking-uri to serve the data dir.");
        }

        Show(new Uri(server, "/" + fragment), noOpen);
        return 0;
    }

    private static async Task<int> ServeAsync(string dir, int port, string fragment, bool noOpen)
    {
        Keel.Core.IO.OwnerOnly.CreateDirectory(dir);
        var server = KeelServer.Build(Server.ServerCommand.FromEnvironment(new KeelServerOptions(Port: port, DataDir: dir, Serving: Keel.Serving.ServingOptions.FromEnvironment())));
        ServerRecordAttachment.Attach(server, dir);
        await server.StartAsync().ConfigureAwait(false);
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Console.WriteLine($"Keel server listening on {address.GetLeftPart(UriPartial.Authority)} (data dir {dir}); Ctrl-C stops it.");
        Show(new Uri(address, "/" + fragment), noOpen);
        await server.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static void Show(Uri url, bool noOpen)
    {
        Console.WriteLine($"Keel UI: {url}");
        if (!noOpen && !TryOpenBrowser(url))
        {
            Console.WriteLine("(No browser could be opened here; open the URL above yourself.)");
        }
    }

    /// <summary>Opens the system's default browser: xdg-open on Linux (with a display), open on macOS, the shell on Windows.</summary>
    private static bool TryOpenBrowser(Uri url)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Process.Start(new ProcessStartInfo(url.ToString()) { UseShellExecute = true })?.Dispose();
                return true;
            }

            var opener = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
            if (!OperatingSystem.IsMacOS() && Environment.GetEnvironmentVariable("DISPLAY") is null && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is null)
            {
                return false;
            }

            var psi = new ProcessStartInfo(opener) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(url.ToString());
            Process.Start(psi)?.Dispose();
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no opener installed
        }
    }
}
