using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Application.Governance;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Audit;

/// <summary><c>keel audit verify|log|at TIME --endpoint E|export</c>, over a server or on the data dir.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "The tamper-evident audit log of every change: verify, log, at, export.")
    {
        Verify(),
        Log(),
        At(),
        Export(),
    };

    private static Command Verify()
    {
        var store = new StoreOptions();
        var command = new Command("verify", "Recompute every audit event's hash and check that the chain is intact.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var v = await new AuditService(session.AuditLog).VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(v, AuditWireJson.Default.AuditVerifyResponse);
            }
            else if (v.Intact)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]Intact[/]: {v.Count} events, head {v.HeadSequence} {v.HeadHash}");
            }
            else
            {
                Console.Error.WriteLine($"BROKEN at event {v.BrokenSequence} ({v.Problem}): {v.Detail} The {v.HeadSequence} events before it are intact (head {v.HeadHash}).");
            }

            return v.Intact ? ExitCodes.Success : ExitCodes.ChecksFailed;
        });
        return command;
    }

    private static Command Log()
    {
        var store = new StoreOptions();
        var actor = new Option<string?>("--actor") { Description = "Only this actor's events." };
        var action = new Option<string?>("--action") { Description = "Only actions starting with this (endpoint., registered_model.alias.set)." };
        var resource = new Option<string?>("--resource") { Description = "Only this resource (churn, churn@champion)." };
        var resourceType = new Option<string?>("--resource-type") { Description = "Only this kind of resource (endpoint, registered_model, dataset, pipeline, alert_rule)." };
        var since = new Option<string?>("--since") { Description = "From this time: ISO 8601 or Unix milliseconds." };
        var until = new Option<string?>("--until") { Description = "Up to this time: ISO 8601 or Unix milliseconds." };
        var limit = new Option<int?>("--limit") { Description = "The most events (1-10000, default 100), newest first." };
        var command = new Command("log", "List audit events, newest first, with who, what, and the sequence in the chain.") { actor, action, resource, resourceType, since, until, limit };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var page = await new AuditService(session.AuditLog).QueryAsync(
                result.GetValue(actor), result.GetValue(action), result.GetValue(resourceType), result.GetValue(resource),
                result.GetValue(since), result.GetValue(until), null, result.GetValue(limit), null, null, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(page, AuditWireJson.Default.AuditEventsResponse);
                return 0;
            }

            if (page.Events.Count == 0)
            {
                AnsiConsole.MarkupLine("No audit events.");
                return 0;
            }

            var table = new CliTable(CliColumn.Number("Seq", priority: 9), CliColumn.Short("Time", priority: 7), CliColumn.Short("Actor", priority: 8), CliColumn.Short("Action", priority: 8), CliColumn.Uri("Resource", priority: 6), CliColumn.Short("Approval", priority: 3), CliColumn.Uri("Hash", priority: 2));
            foreach (var e in page.Events)
            {
                table.AddRow(
                    e.Sequence.ToString(CultureInfo.InvariantCulture), Display.Time(e.Timestamp), Markup.Escape(e.Actor), Markup.Escape(e.Action),
                    Markup.Escape($"{e.ResourceType} {e.Resource}"), e.ApprovalId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, e.Hash[..12]);
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command At()
    {
        var store = new StoreOptions();
        var time = new Argument<string>("time") { Description = "The moment: ISO 8601 (2026-12-02T14:00:00Z) or Unix milliseconds." };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint.", Required = true };
        var command = new Command("at", "Which model versions served an endpoint at a time, who made that change and who approved it.") { time, endpoint };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var at = session.Store is KeelClient client
                ? await client.Audit.AtAsync(result.GetValue(time)!, result.GetValue(endpoint)!, cancellationToken).ConfigureAwait(false)
                : await new AuditService(session.AuditLog).AtAsync(result.GetValue(time), result.GetValue(endpoint), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(at, AuditWireJson.Default.AuditAtResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Endpoint [bold]{at.Endpoint}[/] at {Display.Time(at.Time)}:");
            if (at.Traffic.Count == 0)
            {
                AnsiConsole.MarkupLine("  no traffic (the endpoint had been deleted).");
            }

            foreach (var t in at.Traffic)
            {
                AnsiConsole.MarkupLineInterpolated($"  {t.Model} version {t.Version ?? "-"}: {t.Percent}% ({t.Role})");
            }

            AnsiConsole.MarkupLineInterpolated($"Changed by {at.ChangedBy} at {Display.Time(at.ChangedAt)} ({at.Action}, event {at.EventSequence}).");
            AnsiConsole.MarkupLineInterpolated($"Approval: {(at.Approval is { } a ? $"{a.Id} by {a.ApprovedBy ?? "(not recorded)"}" + (a.ApprovedAt is { } when ? $" at {DateTimeOffset.FromUnixTimeMilliseconds(when):u}" : string.Empty) : "none")}");
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var tracking = new StoreOptions();
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (JSON Lines, one event per line, oldest first); standard output when absent." };
        var command = new Command("export", "Export every audit event as JSON Lines, with the hashes an auditor needs to verify the chain independently.") { output };
        command.Add(tracking.TrackingUri);
        command.Add(tracking.DataDir);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await tracking.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var path = result.GetValue(output);
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
            var count = 0L;
            await using (var writer = new Utf8JsonWriter(stream))
            {
                await foreach (var e in new AuditService(session.AuditLog).ExportAsync(cancellationToken).ConfigureAwait(false))
                {
                    JsonSerializer.Serialize(writer, e, AuditWireJson.Default.AuditEventDto);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    writer.Reset();
                    stream.WriteByte((byte)'\n');
                    count++;
                }
            }

            if (path is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"Wrote {count} events to {path}.");
            }

            return 0;
        });
        return command;
    }
}
