using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints create NAME --model URI [--env ENV]</c></summary>
internal static class CreateCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name; the V2 model name." };
        var model = new Option<string>("--model") { Description = "Model URI: models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN/PATH.", Required = true };
        var env = new Option<string?>("--env") { Description = "Environment: dev (default), staging or prod." };
        var command = new Command("create", "Create an endpoint serving one model.") { name, model, env };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var created = await client.CreateEndpointAsync(result.GetValue(name)!, result.GetValue(model)!, result.GetValue(env), cancellationToken: cancellationToken).ConfigureAwait(false);
            return EndpointDisplay.Print(created, result.GetValue(server.Output));
        });
        return command;
    }
}
