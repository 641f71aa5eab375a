using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Users;

/// <summary><c>keel groups add-member GROUP USER|remove-member GROUP USER|list [--user U]</c></summary>
internal static class GroupsCommand
{
    public static Command Create() => new("groups", "Groups of users, which environment roles can be given to: add-member, remove-member, list.")
    {
        Member("add-member", "Add a user to a group (created on first use).", (api, g, u, ct) => api.AddMemberAsync(g, u, ct), "Added [bold]{1}[/] to group [bold]{0}[/]."),
        Member("remove-member", "Remove a user from a group.", (api, g, u, ct) => api.RemoveMemberAsync(g, u, ct), "Removed [bold]{1}[/] from group [bold]{0}[/]."),
        List(),
    };

    private static Command Member(string verb, string description, Func<GovernanceApi, string, string, CancellationToken, Task> act, string done)
    {
        var store = new StoreOptions();
        var group = new Argument<string>("group") { Description = "The group (lowercase letters, digits, '.', '_', '-')." };
        var user = new Argument<string>("user") { Description = "The username." };
        var command = new Command(verb, description) { group, user };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await act(session.Governance, result.GetValue(group)!, result.GetValue(user)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Empty();
                return 0;
            }

            AnsiConsole.MarkupLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, done, Markup.Escape(result.GetValue(group)!), Markup.Escape(result.GetValue(user)!)));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var user = new Option<string?>("--user") { Description = "Only this user's groups." };
        var command = new Command("list", "List groups with their members.") { user };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var groups = await session.Governance.ListGroupsAsync(result.GetValue(user), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new GroupsResponse { Groups = [.. groups.Select(g => new GroupWire { Name = g.Group, Members = [.. g.Members] })] }, GovernanceJson.Default.GroupsResponse);
                return 0;
            }

            if (groups.Count == 0)
            {
                AnsiConsole.MarkupLine("No groups.");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Group"), CliColumn.Text("Members"));
            foreach (var (name, members) in groups)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(string.Join(", ", members)));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
