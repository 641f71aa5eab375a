using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints list [--env ENV]</c></summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var env = new Option<string?>("--env") { Description = "Only endpoints of this environment." };
        var command = new Command("list", "List endpoints with their routes, weights and rollout state.") { env };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var endpoints = await client.ListEndpointsAsync(result.GetValue(env), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(server.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ListEndpointsResponse { Endpoints = [.. endpoints] }, ServingJson.Default.ListEndpointsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Name", priority: 9), CliColumn.Short("Env", priority: 6), CliColumn.Short("Mode", priority: 5), CliColumn.Text("Routes", priority: 8), CliColumn.Number("Requests", priority: 4), CliColumn.Text("Rollout", priority: 7));
            foreach (var r in endpoints)
            {
                var e = r.Endpoint!;
                var routes = string.Join(", ", e.Routes.Select(x => $"{x.ModelUri} {x.Role.ToString().ToLowerInvariant()} {x.Weight}%"));
                var requests = (r.Live ?? []).Sum(x => x.Requests).ToString("N0", CultureInfo.InvariantCulture);
                var rollout = e.Rollout is { } ro ? $"{ro.State.ToWire()} {(ro.State == RolloutState.Running ? ro.CurrentPercent + "%" : string.Empty)}" : "-";
                table.AddRow(Markup.Escape(e.Name), e.Environment, e.Mode.ToString(), Markup.Escape(routes), requests, rollout);
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
