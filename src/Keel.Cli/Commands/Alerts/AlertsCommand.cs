using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Alerts;

/// <summary><c>keel alerts apply FILE|list|show ID|ack ID|rules|delete-rule NAME</c></summary>
internal static class AlertsCommand
{
    public static Command Create() => new("alerts", "Alert rules on endpoint monitoring, and the alerts they raise: apply, list, show, ack, rules, delete-rule.")
    {
        Apply(),
        List(),
        Show(),
        Ack(),
        Rules(),
        DeleteRule(),
    };

    private static Command Apply()
    {
        var store = new StoreOptions();
        var file = new Argument<string>("file") { Description = "A YAML (or JSON) file of rules: 'rules:' and a list, see docs/monitoring.md." };
        var command = new Command("apply", "Create or replace alert rules from a file, checking every rule first (one bad rule stores none).") { file };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var rules = AlertRulesFile.Read(result.GetValue(file)!);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var stored = await session.Alerts.ApplyAsync(rules, Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertRulesResponse { Rules = [.. stored] }, AlertJson.Default.AlertRulesResponse);
                return 0;
            }

            foreach (var rule in stored)
            {
                AnsiConsole.MarkupLineInterpolated($"Rule [bold]{rule.Name}[/] on {rule.Endpoint}: version {rule.Version}.");
            }

            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's alerts." };
        var state = new Option<string?>("--state") { Description = "pending, firing, resolved, or open (pending and firing)." };
        var max = new Option<int?>("--max-results") { Description = "The most alerts (1-1000, default 100)." };
        var command = new Command("list", "List alerts, newest first: open and recent.") { endpoint, state, max };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var alerts = await session.Alerts.ListAlertsAsync(result.GetValue(endpoint), result.GetValue(state), null, result.GetValue(max), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertsResponse { Alerts = [.. alerts] }, AlertJson.Default.AlertsResponse);
                return 0;
            }

            if (alerts.Count == 0)
            {
                AnsiConsole.MarkupLine("No alerts.");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("ID", priority: 9), CliColumn.Short("Rule", priority: 8), CliColumn.Short("Endpoint", priority: 7), CliColumn.Short("State", priority: 9), CliColumn.Short("Severity", priority: 8), CliColumn.Number("Value", priority: 5), CliColumn.Number("Threshold", priority: 3), CliColumn.Short("Window", priority: 4), CliColumn.Short("Updated", priority: 6), CliColumn.Short("Acknowledged", priority: 1));
            foreach (var a in alerts)
            {
                table.AddRow(
                    a.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(a.Rule), Markup.Escape(a.Endpoint), StateMarkup(a.State), SeverityMarkup(a.Severity),
                    a.Value is { } v ? Display.Number(v) : string.Empty, Display.Number(a.Threshold), Markup.Escape($"{a.Metric} / {a.Window}"),
                    Display.Time(a.UpdatedAt), Markup.Escape(a.AcknowledgedBy ?? string.Empty));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The alert's number." };
        var command = new Command("show", "Show an alert: its state changes and the delivery log of its webhooks.") { id };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var details = await session.Alerts.GetAlertAsync(result.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertResponse { Alert = details.Alert, Events = [.. details.Events], Deliveries = [.. details.Deliveries] }, AlertJson.Default.AlertResponse);
                return 0;
            }

            var a = details.Alert;
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]Alert[/]", $"{a.Id.ToString(CultureInfo.InvariantCulture)}: {StateMarkup(a.State)} {SeverityMarkup(a.Severity)}");
            grid.AddRow("Rule", Markup.Escape($"{a.Rule} on {a.Endpoint}: {a.Metric} over {a.Window}"));
            grid.AddRow("Opened", Display.Time(a.OpenedAt));
            grid.AddRow("Firing since", a.FiringAt is { } f ? Display.Time(f) : "-");
            grid.AddRow("Resolved", a.ResolvedAt is { } r ? Display.Time(r) : "-");
            grid.AddRow("Acknowledged", a.AcknowledgedBy is { } by ? Markup.Escape($"by {by} at ") + Display.Time(a.AcknowledgedAt) : "-");
            AnsiConsole.Write(grid);

            var events = new CliTable(CliColumn.Number("Seq", priority: 9), CliColumn.Short("Change", priority: 9), CliColumn.Short("Severity", priority: 7), CliColumn.Number("Value", priority: 6), CliColumn.Number("Threshold", priority: 4), CliColumn.Short("Window start", priority: 3), CliColumn.Text("Reason", priority: 8)) { Title = "State changes" };
            foreach (var e in details.Events)
            {
                events.AddRow(
                    e.Sequence.ToString(CultureInfo.InvariantCulture), $"{(e.From is { } from ? AlertStateTransitions.Name(from) : "-")} → {AlertStateTransitions.Name(e.To)}",
                    AlertStateTransitions.Name(e.Severity), e.Value is { } v ? Display.Number(v) : string.Empty, Display.Number(e.Threshold), Display.Time(e.WindowStart), Markup.Escape(e.Reason ?? string.Empty));
            }

            events.Write();
            if (details.Deliveries.Count > 0)
            {
                var log = new CliTable(CliColumn.Number("Seq", priority: 9), CliColumn.Uri("Webhook", priority: 6), CliColumn.Number("Attempt", priority: 4), CliColumn.Short("Status", priority: 7), CliColumn.Short("Outcome", priority: 8), CliColumn.Text("Error", priority: 5), CliColumn.Short("Time", priority: 3)) { Title = "Webhook deliveries" };
                foreach (var d in details.Deliveries)
                {
                    log.AddRow(
                        d.EventSequence.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Url), d.Attempt.ToString(CultureInfo.InvariantCulture),
                        d.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-", d.Outcome, Markup.Escape(d.Error ?? string.Empty), Display.Time(d.Time));
                }

                log.Write();
            }

            return 0;
        });
        return command;
    }

    private static Command Ack()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The alert's number." };
        var by = new Option<string?>("--by") { Description = "Who acknowledges it. Default: your user name." };
        var command = new Command("ack", "Acknowledge an alert: records who and when; its state does not change.") { id, by };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var alert = await session.Alerts.AcknowledgeAsync(result.GetValue(id), result.GetValue(by) ?? Environment.UserName, null, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertResponse { Alert = alert }, AlertJson.Default.AlertResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Alert {alert.Id} ({alert.Rule}, {AlertStateTransitions.Name(alert.State)}) acknowledged by {alert.AcknowledgedBy}.");
            return 0;
        });
        return command;
    }

    private static Command Rules()
    {
        var store = new StoreOptions();
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's rules." };
        var command = new Command("rules", "List alert rules.") { endpoint };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var rules = await session.Alerts.ListRulesAsync(result.GetValue(endpoint), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertRulesResponse { Rules = [.. rules] }, AlertJson.Default.AlertRulesResponse);
                return 0;
            }

            if (rules.Count == 0)
            {
                AnsiConsole.MarkupLine("No alert rules yet. Apply some with [bold]keel alerts apply FILE.yaml[/].");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Name", priority: 9), CliColumn.Short("Endpoint", priority: 8), CliColumn.Short("Metric", priority: 8), CliColumn.Short("Window", priority: 7), CliColumn.Number("Warning", priority: 6), CliColumn.Number("Critical", priority: 6), CliColumn.Short("Direction", priority: 5), CliColumn.Number("Min samples", priority: 2), CliColumn.Number("For", priority: 2), CliColumn.Number("Webhooks", priority: 3), CliColumn.Short("Enabled", priority: 4), CliColumn.Number("Version", priority: 1));
            foreach (var r in rules)
            {
                table.AddRow(
                    $"[bold]{Markup.Escape(r.Name)}[/]", Markup.Escape(r.Endpoint), Markup.Escape(r.Metric), r.Window,
                    r.Warning is { } w ? Display.Number(w) : "-", r.Critical is { } c ? Display.Number(c) : "-", r.Direction == AlertDirection.Below ? "below" : "above",
                    r.MinSamples.ToString(CultureInfo.InvariantCulture), r.For.ToString(CultureInfo.InvariantCulture), r.Webhooks.Count.ToString(CultureInfo.InvariantCulture),
                    r.Enabled ? "yes" : "no", r.Version.ToString(CultureInfo.InvariantCulture));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command DeleteRule()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The rule's name." };
        var command = new Command("delete-rule", "Delete an alert rule; its open alert resolves.") { name };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Alerts.DeleteRuleAsync(result.GetValue(name), Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new AlertRuleResponse(), AlertJson.Default.AlertRuleResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Deleted alert rule {result.GetValue(name)}.");
            return 0;
        });
        return command;
    }

    private static string StateMarkup(AlertState state) => state switch
    {
        AlertState.Firing => "[red]firing[/]",
        AlertState.Pending => "[yellow]pending[/]",
        _ => "[green]resolved[/]",
    };

    private static string SeverityMarkup(AlertSeverity severity) => severity == AlertSeverity.Critical ? "[red bold]critical[/]" : "[yellow]warning[/]";
}
