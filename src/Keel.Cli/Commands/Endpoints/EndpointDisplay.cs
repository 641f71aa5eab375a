using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Endpoints;

/// <summary>Prints an endpoint: routes with live figures per version, then the rollout and its steps.</summary>
internal static class EndpointDisplay
{
    public static int Print(EndpointResponse response, OutputFormat output)
    {
        if (output == OutputFormat.Json)
        {
            WireOutput.Write(response, ServingJson.Default.EndpointResponse);
            return 0;
        }

        var e = response.Endpoint!;
        AnsiConsole.MarkupLineInterpolated($"[bold]{e.Name}[/]  env {e.Environment}  mode {e.Mode}{(e.StickyKey is null ? string.Empty : "  sticky " + e.StickyKey)}");
        var routes = new CliTable(CliColumn.Uri("Model", priority: 9), CliColumn.Number("Version", priority: 9), CliColumn.Short("Role", priority: 8), CliColumn.Number("Weight", priority: 8), CliColumn.Number("Requests", priority: 6), CliColumn.Number("Errors", priority: 5), CliColumn.Number("p50 ms", priority: 3), CliColumn.Number("p99 ms", priority: 4));
        foreach (var r in response.Live ?? [])
        {
            routes.AddRow(
                Markup.Escape(r.ModelUri ?? string.Empty), Markup.Escape(r.Version ?? "(not loaded)"), r.Role.ToString(), r.Weight + "%",
                r.Requests.ToString("N0", CultureInfo.InvariantCulture), r.Errors.ToString("N0", CultureInfo.InvariantCulture),
                r.P50Ms.ToString("F3", CultureInfo.InvariantCulture), r.P99Ms.ToString("F3", CultureInfo.InvariantCulture));
        }

        routes.Write();
        foreach (var rollout in e.PastRollouts.Append(e.Rollout).OfType<Rollout>())
        {
            PrintRollout(rollout);
        }

        return 0;
    }

    private static void PrintRollout(Rollout r)
    {
        var hold = r.HoldRequests is { } n ? $"{n} requests" : $"{r.HoldSeconds} s";
        AnsiConsole.MarkupLineInterpolated($"rollout {r.Id}: {r.ChampionUri} -> {r.ChallengerUri}  steps {string.Join(",", r.Steps)}  hold {hold}  [bold]{r.State.ToWire()}[/]{(r.Reason is null ? string.Empty : " (" + r.Reason + ")")}");
        var table = new CliTable(CliColumn.Short("Step", priority: 9), CliColumn.Short("Outcome", priority: 9), CliColumn.Number("Challenger req", priority: 5), CliColumn.Short("Err champ/chall", priority: 4), CliColumn.Short("p99 ms champ/chall", priority: 3), CliColumn.Short("Divergence", priority: 2), CliColumn.Text("Reason", priority: 8));
        foreach (var s in r.History)
        {
            var c = s.Comparison;
            table.AddRow(
                s.Percent + "%", s.Outcome,
                c is null ? "-" : c.ChallengerRequests.ToString(CultureInfo.InvariantCulture),
                c is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{c.ChampionErrorRate:P1}/{c.ChallengerErrorRate:P1}"),
                c is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{c.ChampionP99Ms:F2}/{c.ChallengerP99Ms:F2}"),
                c is null ? "-" : c.Divergence.ToString("F3", CultureInfo.InvariantCulture),
                Markup.Escape(s.Reason ?? string.Empty));
        }

        if (r.State == RolloutState.Running)
        {
            table.AddRow(r.CurrentPercent + "%", "in progress", "-", "-", "-", "-", string.Empty);
        }

        table.Write();
    }
}
