using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Cli.Infrastructure;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Governance;

/// <summary><c>keel approvals list|show ID|approve ID|reject ID --comment</c></summary>
internal static class ApprovalsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create() => new("approvals", "Four-eyes approvals of deploying changes in governed environments: list, show, approve, reject.")
    {
        List(),
        Show(),
        Approve(),
        Reject(),
    };

    private static Command List()
    {
        var store = new StoreOptions();
        var state = new Option<string?>("--state") { Description = "requested, approved, rejected, expired, applied or failed." };
        var environment = new Option<string?>("--environment") { Description = "Only this environment's." };
        var max = new Option<int?>("--max-results") { Description = "The most approvals (1-1000, default 100)." };
        var command = new Command("list", "List approvals, newest first.") { state, environment, max };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var list = await new EnvironmentsApi(session).ListApprovalsAsync(result.GetValue(state), result.GetValue(environment), result.GetValue(max), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ApprovalsResponse { Approvals = [.. list.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.ApprovalsResponse);
                return 0;
            }

            if (list.Count == 0)
            {
                AnsiConsole.MarkupLine("No approvals.");
                return 0;
            }

            var table = new CliTable(CliColumn.Number("ID", priority: 9), CliColumn.Short("State", priority: 9), CliColumn.Short("Environment", priority: 8), CliColumn.Short("Action", priority: 8), CliColumn.Uri("Resource", priority: 7), CliColumn.Short("Requester", priority: 6), CliColumn.Short("Requested", priority: 5), CliColumn.Short("Expires", priority: 3), CliColumn.Short("Decided by", priority: 4));
            foreach (var a in list)
            {
                table.AddRow(
                    a.Id.ToString(CultureInfo.InvariantCulture), StateMarkup(a.State), Markup.Escape(a.Environment), Markup.Escape(a.Action), Markup.Escape(a.Resource),
                    Markup.Escape(a.Requester), Display.Time(a.CreatedAt), Display.Time(a.ExpiresAt), Markup.Escape(a.DecidedBy ?? string.Empty));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The approval's number." };
        var command = new Command("show", "Show an approval: the change, its evidence, the decision and the outcome.") { id };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var a = await new EnvironmentsApi(session).GetAsync(result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            Print(a, result.GetValue(store.Output), null);
            return 0;
        });
        return command;
    }

    private static Command Approve()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The approval's number." };
        var comment = new Option<string?>("--comment") { Description = "Why it is approved." };
        var expected = new Option<long?>("--expected-version") { Description = "Approve only if the request is still at this version (as shown)." };
        var command = new Command("approve", "Approve someone else's request; the server then makes the change as the requester.") { id, comment, expected };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var a = await new EnvironmentsApi(session).ApproveAsync(result.GetValue(id)!, result.GetValue(comment), result.GetValue(expected), cancellationToken).ConfigureAwait(false);
            var message = a.State switch
            {
                ApprovalState.Applied => $"Approval {a.Id} approved and applied: {a.Result}.",
                ApprovalState.Failed => $"Approval {a.Id} approved, but the change could not be made: {a.Error}",
                _ => $"Approval {a.Id} approved; {a.Requester} may now make the change.",
            };
            Print(a, result.GetValue(store.Output), message);
            return a.State == ApprovalState.Failed ? ExitCodes.ChecksFailed : 0;
        });
        return command;
    }

    private static Command Reject()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The approval's number." };
        var comment = new Option<string>("--comment") { Description = "Why it is rejected.", Required = true };
        var expected = new Option<long?>("--expected-version") { Description = "Reject only if the request is still at this version (as shown)." };
        var command = new Command("reject", "Reject a request; the change is never made.") { id, comment, expected };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var a = await new EnvironmentsApi(session).RejectAsync(result.GetValue(id)!, result.GetValue(comment)!, result.GetValue(expected), cancellationToken).ConfigureAwait(false);
            Print(a, result.GetValue(store.Output), $"Approval {a.Id} rejected; the change was not made.");
            return 0;
        });
        return command;
    }

    private static void Print(Approval a, OutputFormat output, string? message)
    {
        if (output == OutputFormat.Json)
        {
            WireOutput.Write(new ApprovalResponse { Approval = EnvironmentWire.ToWire(a), Message = message }, EnvironmentJson.Default.ApprovalResponse);
            return;
        }

        if (message is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"{message}");
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Approval[/]", $"{a.Id.ToString(CultureInfo.InvariantCulture)}: {StateMarkup(a.State)} (version {a.Version.ToString(CultureInfo.InvariantCulture)})");
        grid.AddRow("Change", Markup.Escape($"{a.Action} on {a.Resource} in {a.Environment}"));
        grid.AddRow("Request", Markup.Escape(a.Request));
        grid.AddRow("Requested", Markup.Escape($"by {a.Requester} at ") + Display.Time(a.CreatedAt) + (a.Reason is null ? string.Empty : Markup.Escape($": {a.Reason}")));
        grid.AddRow("Expires", Display.Time(a.ExpiresAt));
        grid.AddRow("Decided", a.DecidedBy is { } by ? Markup.Escape($"by {by} at ") + Display.Time(a.DecidedAt) + (a.Comment is null ? string.Empty : Markup.Escape($": {a.Comment}")) : "-");
        grid.AddRow("Outcome", a.AppliedAt is null ? "-" : Markup.Escape(a.Result ?? a.Error ?? string.Empty));
        AnsiConsole.Write(grid);
        if (a.Evidence is { } evidence)
        {
            AnsiConsole.Write(new Panel(Markup.Escape(System.Text.Json.Nodes.JsonNode.Parse(evidence)?.ToJsonString(Indented) ?? evidence)).Header("Evidence"));
        }
    }

    private static string StateMarkup(ApprovalState state) => state switch
    {
        ApprovalState.Requested => "[yellow]requested[/]",
        ApprovalState.Approved or ApprovalState.Applied => $"[green]{ApprovalTransitions.Name(state)}[/]",
        _ => $"[red]{ApprovalTransitions.Name(state)}[/]",
    };
}
