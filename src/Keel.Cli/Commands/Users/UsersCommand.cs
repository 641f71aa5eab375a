using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Users;

/// <summary><c>keel users create NAME [--admin] [--password-stdin]|list|delete NAME|set-admin NAME true|false|set-password NAME [--password-stdin]</c></summary>
internal static class UsersCommand
{
    public static Command Create() => new("users", "Users of a server with authentication on: create, list, delete, set-admin, set-password.")
    {
        CreateUser(),
        List(),
        Delete(),
        SetAdmin(),
        SetPassword(),
    };

    /// <summary>Reads a password from stdin (one line) or, on a terminal, asks for it twice without echo.</summary>
    internal static string ReadPassword(bool fromStdin)
    {
        if (fromStdin)
        {
            return Console.In.ReadLine() ?? throw KeelException.MissingParameter("password");
        }

        if (Console.IsInputRedirected)
        {
            throw KeelException.InvalidParameter("No terminal to ask for the password: pipe it in with --password-stdin.");
        }

        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        var again = AnsiConsole.Prompt(new TextPrompt<string>("Password again:").Secret());
        return password == again ? password : throw KeelException.InvalidParameter("The two passwords differ.");
    }

    private static Command CreateUser()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The username (letters, digits, '.', '_', '-', '@', '+'; an email address fits)." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin (passes every permission check)." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from stdin instead of asking for it." };
        var command = new Command("create", "Create a user with a password of at least 8 characters (with --data-dir, no server is needed).") { name, admin, stdin };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var password = ReadPassword(result.GetValue(stdin));
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var user = await session.Governance.CreateUserAsync(result.GetValue(name)!, password, result.GetValue(admin), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new KeelUsersResponse { Users = [ToWire(user)] }, GovernanceJson.Default.KeelUsersResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Created user [bold]{user.Username}[/] (id {user.Id}){(user.IsAdmin ? ", an admin" : string.Empty)}.");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List users by name.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var users = await session.Governance.ListUsersAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new KeelUsersResponse { Users = [.. users.Select(ToWire)] }, GovernanceJson.Default.KeelUsersResponse);
                return 0;
            }

            if (users.Count == 0)
            {
                AnsiConsole.MarkupLine("No users.");
                return 0;
            }

            var table = new CliTable(CliColumn.Number("ID"), CliColumn.Short("Username"), CliColumn.Short("Admin"), CliColumn.Short("Created"));
            foreach (var u in users)
            {
                table.AddRow(u.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(u.Username), u.IsAdmin ? "yes" : "no", Display.Time(u.CreatedAt));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The username." };
        var command = new Command("delete", "Delete a user with their tokens, permissions, group memberships and roles.") { name };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Governance.DeleteUserAsync(result.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"Deleted user [bold]{result.GetValue(name)}[/].");
            return 0;
        });
        return command;
    }

    private static Command SetAdmin()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The username." };
        var value = new Argument<bool>("is-admin") { Description = "true or false." };
        var command = new Command("set-admin", "Make a user an admin (true) or not (false).") { name, value };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Governance.SetAdminAsync(result.GetValue(name)!, result.GetValue(value), cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"User [bold]{result.GetValue(name)}[/] is {(result.GetValue(value) ? "an admin" : "not an admin")}.");
            return 0;
        });
        return command;
    }

    private static Command SetPassword()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The username." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from stdin instead of asking for it." };
        var command = new Command("set-password", "Set a user's password (at least 8 characters).") { name, stdin };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var password = ReadPassword(result.GetValue(stdin));
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Governance.SetPasswordAsync(result.GetValue(name)!, password, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"Password of [bold]{result.GetValue(name)}[/] changed.");
            return 0;
        });
        return command;
    }

    private static KeelUserWire ToWire(KeelUser u) => new() { Id = u.Id, Username = u.Username, IsAdmin = u.IsAdmin, CreatedTime = u.CreatedAt };
}
