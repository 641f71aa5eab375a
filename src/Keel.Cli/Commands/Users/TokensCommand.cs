using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Users;

/// <summary><c>keel tokens create NAME [--expires-in-days N] [--user U]|list [--user U] [--all]|revoke ID</c></summary>
internal static class TokensCommand
{
    public static Command Create() => new("tokens", "API tokens (Authorization: Bearer, or MLFLOW_TRACKING_TOKEN): create (shown once), list, revoke.")
    {
        CreateToken(),
        List(),
        Revoke(),
    };

    internal static ApiTokenWire ToWire(ApiToken t) => new()
    {
        Id = t.Id, Username = t.Username, Name = t.Name, CreatedTime = t.CreatedAt, ExpiresAt = t.ExpiresAt, RevokedAt = t.RevokedAt,
    };

    private static Command CreateToken()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "A label for the token, e.g. ci." };
        var days = new Option<long?>("--expires-in-days") { Description = "Days until it stops working (1-3650). Default: never." };
        var user = new Option<string?>("--user") { Description = "Whose token (an admin may create one for another user; required with --data-dir). Default: you." };
        var command = new Command("create", "Create an API token, printed once (only its hash is stored).") { name, days, user };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var (token, secret) = await session.Governance.CreateTokenAsync(result.GetValue(name)!, result.GetValue(days), result.GetValue(user), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new CreateTokenResponse { Token = ToWire(token), Secret = secret }, GovernanceJson.Default.CreateTokenResponse);
                return 0;
            }

            // The token alone on stdout (scripts capture it); the warning on stderr.
            Console.Out.WriteLine(secret);
            await Console.Error.WriteLineAsync(
                $"Token {token.Id} for {token.Username}{(token.ExpiresAt is { } at ? ", expires " + DateTimeOffset.FromUnixTimeMilliseconds(at).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}. "
                + "Copy it now: it is not stored and cannot be shown again.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var user = new Option<string?>("--user") { Description = "Another user's tokens (admins)." };
        var all = new Option<bool>("--all") { Description = "Every user's tokens (admins; the default with --data-dir)." };
        var command = new Command("list", "List API tokens newest first (never their secrets).") { user, all };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var tokens = await session.Governance.ListTokensAsync(result.GetValue(user), result.GetValue(all), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ApiTokensResponse { Tokens = [.. tokens.Select(ToWire)] }, GovernanceJson.Default.ApiTokensResponse);
                return 0;
            }

            if (tokens.Count == 0)
            {
                AnsiConsole.MarkupLine("No tokens.");
                return 0;
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var table = new CliTable(CliColumn.Short("ID", priority: 9), CliColumn.Short("User", priority: 8), CliColumn.Text("Name", priority: 7), CliColumn.Short("Created", priority: 5), CliColumn.Short("Expires", priority: 6), CliColumn.Short("State", priority: 9));
            foreach (var t in tokens)
            {
                var state = t.RevokedAt is not null ? "[red]revoked[/]" : t.IsActive(now) ? "[green]active[/]" : "[yellow]expired[/]";
                table.AddRow(Markup.Escape(t.Id), Markup.Escape(t.Username), Markup.Escape(t.Name), Display.Time(t.CreatedAt), t.ExpiresAt is { } e ? Display.Time(e) : "never", state);
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("id") { Description = "The token's id (the 12 characters after keel_, as listed)." };
        var command = new Command("revoke", "Revoke an API token: it stops working at once.") { id };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var token = await session.Governance.RevokeTokenAsync(result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ApiTokenResponse { Token = ToWire(token) }, GovernanceJson.Default.ApiTokenResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Revoked token [bold]{token.Id}[/] ({token.Name}) of {token.Username}.");
            return 0;
        });
        return command;
    }
}
