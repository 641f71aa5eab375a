using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Governance;

/// <summary><c>keel environments list|set NAME|assign KIND RESOURCE ENV|unassign KIND RESOURCE</c></summary>
internal static class EnvironmentsCommand
{
    public static Command Create() => new("environments", "Environments (dev, staging, prod, ...): their approval policies and which resources belong to each.")
    {
        List(),
        Set(),
        Assign(),
        Unassign(),
    };

    private static Command List()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List each environment's policy and the resources assigned to environments.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var api = new EnvironmentsApi(session);
            var policies = await api.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
            var assignments = await api.ListAssignmentsAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                // One document: the policies and the assignments, as the two API answers' fields.
                var document = JsonNode.Parse(JsonSerializer.Serialize(new EnvironmentsResponse { Environments = [.. policies.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.EnvironmentsResponse))!.AsObject();
                document["assignments"] = JsonNode.Parse(JsonSerializer.Serialize(
                    new EnvironmentAssignmentsResponse { Assignments = [.. assignments.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.EnvironmentAssignmentsResponse))!["assignments"]?.DeepClone() ?? new JsonArray();
                Console.WriteLine(document.ToJsonString());
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Environment"), CliColumn.Short("Requires approval"), CliColumn.Number("Approval TTL (hours)"));
            foreach (var p in policies)
            {
                table.AddRow(Markup.Escape(p.Name), p.RequiresApproval ? "[yellow]yes[/]" : "no", (p.ApprovalTtlSeconds / 3600.0).ToString("0.##", CultureInfo.InvariantCulture));
            }

            table.Write();
            if (assignments.Count == 0)
            {
                AnsiConsole.MarkupLine("No assignments: endpoints are in the environment they were created in, everything else in dev.");
                return 0;
            }

            var assigned = new CliTable(CliColumn.Short("Kind"), CliColumn.Uri("Resource"), CliColumn.Short("Environment"));
            foreach (var a in assignments)
            {
                assigned.AddRow(EnvironmentWire.KindName(a.Kind), Markup.Escape(a.Resource), Markup.Escape(a.Environment));
            }

            assigned.Write();
            return 0;
        });
        return command;
    }

    private static Command Set()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The environment, e.g. prod." };
        var requires = new Option<bool?>("--requires-approval") { Description = "true: deploying changes (alias moves, rollouts, promotion, traffic) need another person's approval." };
        var ttl = new Option<double?>("--ttl-hours") { Description = "How long a request waits for a decision before it expires (default 24)." };
        var command = new Command("set", "Set an environment's approval policy; an option left out keeps its value.") { name, requires, ttl };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var p = await new EnvironmentsApi(session).PutPolicyAsync(result.GetValue(name)!, result.GetValue(requires), result.GetValue(ttl), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new EnvironmentResponse { Environment = EnvironmentWire.ToWire(p) }, EnvironmentJson.Default.EnvironmentResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated(
                $"Environment [bold]{p.Name}[/]: {(p.RequiresApproval ? "deploying changes require approval" : "no approval needed")}; requests wait {(p.ApprovalTtlSeconds / 3600.0).ToString("0.##", CultureInfo.InvariantCulture)} h.");
            return 0;
        });
        return command;
    }

    private static Command Assign()
    {
        var store = new StoreOptions();
        var kind = new Argument<string>("kind") { Description = "endpoint, model_alias (or alias), pipeline or dataset." };
        var resource = new Argument<string>("resource") { Description = "Its name; for aliases MODEL@ALIAS, or *@ALIAS for that alias on every model." };
        var environment = new Argument<string>("environment") { Description = "The environment." };
        var command = new Command("assign", "Put a resource in an environment (replacing its earlier one).") { kind, resource, environment };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var a = await new EnvironmentsApi(session).AssignAsync(result.GetValue(kind)!, result.GetValue(resource)!, result.GetValue(environment)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new EnvironmentAssignmentResponse { Assignment = EnvironmentWire.ToWire(a) }, EnvironmentJson.Default.EnvironmentAssignmentResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"{EnvironmentWire.KindName(a.Kind)} [bold]{a.Resource}[/] is in [bold]{a.Environment}[/].");
            return 0;
        });
        return command;
    }

    private static Command Unassign()
    {
        var store = new StoreOptions();
        var kind = new Argument<string>("kind") { Description = "endpoint, model_alias (or alias), pipeline or dataset." };
        var resource = new Argument<string>("resource") { Description = "The resource as it was assigned." };
        var command = new Command("unassign", "Return a resource to its default environment.") { kind, resource };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await new EnvironmentsApi(session).UnassignAsync(result.GetValue(kind)!, result.GetValue(resource)!, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"[bold]{result.GetValue(resource)}[/] is back in its default environment.");
            return 0;
        });
        return command;
    }
}
