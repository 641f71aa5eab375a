using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints promote|abort|rollback NAME [--reason TEXT]</c></summary>
internal static class ActionCommand
{
    public static Command Create(string verb, string description)
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name." };
        var reason = new Option<string?>("--reason") { Description = "Recorded in the rollout history and the audit trail." };
        var command = new Command(verb, description) { name, reason };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var endpoint = result.GetValue(name)!;
            var why = result.GetValue(reason);
            var changed = verb switch
            {
                "promote" => await client.PromoteEndpointAsync(endpoint, why, cancellationToken).ConfigureAwait(false),
                "abort" => await client.AbortRolloutAsync(endpoint, why, cancellationToken).ConfigureAwait(false),
                _ => await client.RollbackEndpointAsync(endpoint, why, cancellationToken).ConfigureAwait(false),
            };
            return EndpointDisplay.Print(changed, result.GetValue(server.Output));
        });
        return command;
    }
}
