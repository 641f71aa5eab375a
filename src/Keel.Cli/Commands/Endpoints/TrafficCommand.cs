using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Serving;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints traffic NAME --mode single|canary|ab_test|shadow|blue_green [--model URI] [--weight N] [--sticky-key header:X]</c></summary>
internal static class TrafficCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name." };
        var mode = new Option<string>("--mode") { Description = "single, canary, ab_test, shadow or blue_green.", Required = true };
        var model = new Option<string?>("--model") { Description = "The other version's model URI." };
        var weight = new Option<int?>("--weight") { Description = "Its share of traffic in percent (canary, ab_test)." };
        var sticky = new Option<string?>("--sticky-key") { Description = "A/B request key: header:NAME or field:NAME (default header:x-keel-routing-key)." };
        var command = new Command("traffic", "Set a static split: canary, sticky A/B, shadow, or a blue-green switch.") { name, mode, model, weight, sticky };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var m = result.GetValue(mode) switch
            {
                "single" => EndpointMode.Single,
                "canary" => EndpointMode.Canary,
                "ab_test" or "ab" => EndpointMode.AbTest,
                "shadow" => EndpointMode.Shadow,
                "blue_green" or "blue-green" => EndpointMode.BlueGreen,
                var other => throw KeelException.InvalidParameter($"Invalid --mode '{other}': expected single, canary, ab_test, shadow or blue_green."),
            };
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var changed = await client.SetTrafficAsync(result.GetValue(name)!, m, result.GetValue(model), result.GetValue(weight), result.GetValue(sticky), cancellationToken).ConfigureAwait(false);
            return EndpointDisplay.Print(changed, result.GetValue(server.Output));
        });
        return command;
    }
}
