using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints canary NAME --model URI --steps 10,50,100 [--hold 5m|--hold-requests N] [--wait]</c></summary>
internal static class CanaryCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name." };
        var model = new Option<string>("--model") { Description = "The challenger's model URI.", Required = true };
        var steps = new Option<string?>("--steps") { Description = "Challenger shares in percent, ending at 100. Default 10,50,100." };
        var hold = new Option<string?>("--hold") { Description = "Minimum time per step, e.g. 30s, 5m (default 5m)." };
        var holdRequests = new Option<long?>("--hold-requests") { Description = "Challenger requests per step instead of a time." };
        var wait = new Option<bool>("--wait") { Description = "Block until the rollout is promoted or rolled back; exit 1 unless promoted." };
        var command = new Command("canary", "Start a progressive rollout; a breach of the endpoint's policy rolls back automatically.") { name, model, steps, hold, holdRequests, wait };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(hold) is not null && result.GetValue(holdRequests) is not null)
            {
                throw KeelException.InvalidParameter("Give --hold or --hold-requests, not both.");
            }

            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var endpoint = result.GetValue(name)!;
            var started = await client.StartRolloutAsync(
                endpoint,
                result.GetValue(model)!,
                result.GetValue(steps) is { } s ? HoldParser.ParseSteps(s) : null,
                result.GetValue(hold) is { } h ? HoldParser.Parse(h) : null,
                result.GetValue(holdRequests),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!result.GetValue(wait))
            {
                return EndpointDisplay.Print(started, result.GetValue(server.Output));
            }

            var done = await client.WaitForRolloutAsync(endpoint, cancellationToken: cancellationToken).ConfigureAwait(false);
            EndpointDisplay.Print(done, result.GetValue(server.Output));
            return done.Endpoint?.Rollout?.State == Core.Serving.RolloutState.Promoted ? ExitCodes.Success : ExitCodes.ChecksFailed;
        });
        return command;
    }
}
