using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;

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

    public KeelClient Open(ParseResult result)
    {
        var uri = result.GetValue(TrackingUri) is { Length: > 0 } given ? given : Client.TrackingUri.Resolve();
        return Client.TrackingUri.IsRemote(uri, out var remote)
            ? new KeelClient(remote!)
            : throw KeelException.InvalidParameter("keel endpoints talks to a running keel server: pass --tracking-uri http://HOST:PORT or set KEEL_TRACKING_URI.");
    }
}
