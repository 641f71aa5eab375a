using System.CommandLine;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints delete NAME</c></summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name." };
        var command = new Command("delete", "Delete an endpoint: it stops serving at once (an audit event records who and when).") { name };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var endpoint = result.GetValue(name)!;
            await client.DeleteEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(server.Output), $"Deleted endpoint [bold]{endpoint}[/].");
            return 0;
        });
        return command;
    }
}
