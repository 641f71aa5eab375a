using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Commands.Endpoints;

/// <summary>
/// Options of the endpoint commands. Endpoints live in a running server (it loads the models and
/// drives rollouts), so these commands always talk to one: the embedded store is not an option.
/// </summary>
internal sealed class ServerOptions
{
    public Option<string?> TrackingUri { get; } = new("--tracking-uri")
    {
        Description = "Keel server URI (http[s]://...). Default: KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI.",
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table or json.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public void AddTo(Command command)
    {
        command.Add(TrackingUri);
        command.Add(Output);
    }

    /// <summary>
    /// The server named by <c>--tracking-uri</c>, else KEEL_TRACKING_URI or MLFLOW_TRACKING_URI; null
    /// when none is named.
    /// </summary>
    /// <exception cref="KeelException">The named URI is not an http(s) URL (naming the option or variable).</exception>
    public static Uri? RemoteServer(string? trackingUri)
    {
        var uri = Client.TrackingUri.Resolve(trackingUri, out var variable);
        if (Client.TrackingUri.IsRemote(uri, out var remote))
        {
            return remote;
        }

        if (uri is null)
        {
            return null;
        }

        const string Rule = "an http:// or https:// URL of a running keel server";
        throw variable is null
            ? KeelException.InvalidParameter($"--tracking-uri '{uri}' is invalid: it must be {Rule}.")
            : KeelEnvironment.Invalid(variable, uri, Rule);
    }

    /// <summary>
    /// The server: <c>--tracking-uri</c>, else KEEL_TRACKING_URI or MLFLOW_TRACKING_URI, else the
    /// <c>keel server</c> running on the default data dir (its <see cref="ServerRecord"/>).
    /// </summary>
    public async Task<KeelClient> OpenAsync(ParseResult result, CancellationToken cancellationToken)
    {
        if (RemoteServer(result.GetValue(TrackingUri)) is { } remote)
        {
            return new KeelClient(remote, options: StoreSession.ClientOptions);
        }

        var dir = DataDirectory.Resolve(null);
        if (await ServerRecord.FindLiveAsync(dir, cancellationToken).ConfigureAwait(false) is { } running)
        {
            await Console.Error.WriteLineAsync($"keel: going through the keel server running on {dir} (pid {running.ProcessId}) at {running.Url}").ConfigureAwait(false);
            return new KeelClient(running.Url, options: StoreSession.ClientOptions);
        }

        throw KeelException.InvalidParameter("keel endpoints talks to a running keel server: pass --tracking-uri http://HOST:PORT or set KEEL_TRACKING_URI.");
    }
}
