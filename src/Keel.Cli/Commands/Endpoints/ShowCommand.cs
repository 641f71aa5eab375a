using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints show NAME</c></summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name." };
        var command = new Command("show", "Show an endpoint: weights, live figures per version, rollout history with reasons.") { name };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var shown = await client.GetEndpointAsync(result.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            return EndpointDisplay.Print(shown, result.GetValue(server.Output));
        });
        return command;
    }
}
