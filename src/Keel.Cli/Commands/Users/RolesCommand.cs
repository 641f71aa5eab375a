using System.CommandLine;
using Keel.Application.Governance;
using Keel.Cli.Infrastructure;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Users;

/// <summary><c>keel roles set PRINCIPAL ENVIRONMENT ROLE|remove PRINCIPAL ENVIRONMENT|list</c></summary>
internal static class RolesCommand
{
    public static Command Create() => new("roles", "Roles of users and groups per environment (viewer, editor, deployer, admin): set, remove, list.")
    {
        Set(),
        Remove(),
        List(),
    };

    private static RoleBindingWire ToWire(RoleBinding r) => new() { Principal = r.Principal, Environment = r.Environment, Role = GovernanceRules.RoleName(r.Role) };

    private static (Argument<string> Principal, Argument<string> Environment) Arguments() =>
        (new Argument<string>("principal") { Description = "user:NAME or group:NAME." }, new Argument<string>("environment") { Description = "The environment (e.g. prod), or '*' for every one." });

    private static Command Set()
    {
        var store = new StoreOptions();
        var (principal, environment) = Arguments();
        var role = new Argument<string>("role") { Description = "viewer, editor, deployer or admin." };
        var command = new Command("set", "Give a user or group a role in an environment, replacing its earlier role there.") { principal, environment, role };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var binding = await session.Governance.SetRoleAsync(result.GetValue(principal)!, result.GetValue(environment)!, result.GetValue(role)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new RoleBindingResponse { Role = ToWire(binding) }, GovernanceJson.Default.RoleBindingResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[bold]{binding.Principal}[/] is {GovernanceRules.RoleName(binding.Role)} in {binding.Environment}.");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var store = new StoreOptions();
        var (principal, environment) = Arguments();
        var command = new Command("remove", "Remove a user's or group's role in an environment.") { principal, environment };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Governance.RemoveRoleAsync(result.GetValue(principal)!, result.GetValue(environment)!, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"[bold]{result.GetValue(principal)}[/] has no role in {result.GetValue(environment)}.");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List role bindings by principal, then environment.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var roles = await session.Governance.ListRolesAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new RoleBindingsResponse { Roles = [.. roles.Select(ToWire)] }, GovernanceJson.Default.RoleBindingsResponse);
                return 0;
            }

            if (roles.Count == 0)
            {
                AnsiConsole.MarkupLine("No roles.");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Principal"), CliColumn.Short("Environment"), CliColumn.Short("Role"));
            foreach (var r in roles)
            {
                table.AddRow(Markup.Escape(r.Principal), Markup.Escape(r.Environment), GovernanceRules.RoleName(r.Role));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
