using System.CommandLine;
using System.Text.Json.Nodes;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.IO;
using Spectre.Console;

namespace Keel.Cli.Commands.Login;

/// <summary>
/// <c>keel login</c> and <c>keel logout</c>: sign in once with a username and password, keep an API
/// token (not the password) for that server in <c>~/.keel/credentials</c> (owner-only), which the CLI
/// and the SDK then send. MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD, when set, win.
/// </summary>
internal static class LoginCommand
{
    private const int DefaultDays = 90;

    public static Command CreateLogin()
    {
        var trackingUri = new Option<string?>("--tracking-uri") { Description = "The server (default: KEEL_TRACKING_URI, else MLFLOW_TRACKING_URI)." };
        var username = new Option<string?>("--username", "-u") { Description = "Your username (default: asked)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of asking." };
        var days = new Option<long>("--expires-in-days") { Description = $"How long the saved token works (1-3650, default {DefaultDays}).", DefaultValueFactory = _ => DefaultDays };
        var command = new Command("login", "Sign in to a Keel server with authentication on; saves an API token for it (never the password).")
        {
            trackingUri, username, passwordStdin, days,
        };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var server = Endpoints.ServerOptions.RemoteServer(result.GetValue(trackingUri))
                ?? throw KeelException.InvalidParameter("keel login needs a server: give --tracking-uri http(s)://HOST:PORT or set KEEL_TRACKING_URI.");
            var user = result.GetValue(username) ?? Ask("Username: ", secret: false);
            var password = result.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r', '\n') : Ask("Password: ", secret: true);
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            {
                throw KeelException.InvalidParameter("A username and a password are needed to sign in.");
            }

            using var client = new KeelClient(server, options: new KeelClientOptions { Credentials = KeelCredentials.Basic(user, password), MaxRetries = 1 });
            var me = await client.Governance.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
            var (token, secret) = await client.Governance.CreateTokenAsync(
                $"keel login on {Environment.MachineName}", result.GetValue(days), null, cancellationToken).ConfigureAwait(false);
            Save(server, new JsonObject { ["username"] = me.Username, ["token_id"] = token.Id, ["token"] = secret });
            Console.WriteLine($"Signed in to {KeelCredentials.Key(server)} as {me.Username}{(me.IsAdmin ? " (admin)" : string.Empty)}; token {token.Id} saved in {KeelCredentials.CredentialsFile}.");
            return 0;
        });
        return command;
    }

    public static Command CreateLogout()
    {
        var trackingUri = new Option<string?>("--tracking-uri") { Description = "The server (default: KEEL_TRACKING_URI, else MLFLOW_TRACKING_URI)." };
        var command = new Command("logout", "Revoke the token keel login saved for a server and forget it.") { trackingUri };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var server = Endpoints.ServerOptions.RemoteServer(result.GetValue(trackingUri))
                ?? throw KeelException.InvalidParameter("keel logout needs a server: give --tracking-uri or set KEEL_TRACKING_URI.");
            var file = Load();
            if (file["servers"]?[KeelCredentials.Key(server)] is not JsonObject entry)
            {
                Console.WriteLine($"Not signed in to {KeelCredentials.Key(server)}.");
                return 0;
            }

            if (entry["token_id"]?.GetValue<string>() is { } id && KeelCredentials.Saved(server) is { } saved)
            {
                using var client = new KeelClient(server, options: new KeelClientOptions { Credentials = saved, MaxRetries = 0 });
                try
                {
                    await client.Governance.RevokeTokenAsync(id, cancellationToken).ConfigureAwait(false);
                }
                catch (KeelException e)
                {
                    // Already revoked, expired, or the server is gone: forgetting it is still right.
                    await Console.Error.WriteLineAsync($"The token could not be revoked on the server ({e.Message}); it is forgotten here.").ConfigureAwait(false);
                }
            }

            ((JsonObject)file["servers"]!).Remove(KeelCredentials.Key(server));
            Write(file);
            Console.WriteLine($"Signed out of {KeelCredentials.Key(server)}.");
            return 0;
        });
        return command;
    }

    private static string? Ask(string prompt, bool secret)
    {
        if (Console.IsInputRedirected)
        {
            throw KeelException.InvalidParameter($"{prompt.TrimEnd(':', ' ')} is needed: give it as an option (or --password-stdin) when not at a terminal.");
        }

        return secret
            ? AnsiConsole.Prompt(new TextPrompt<string>(prompt).Secret())
            : AnsiConsole.Ask<string>(prompt);
    }

    private static void Save(Uri server, JsonObject entry)
    {
        var file = Load();
        var servers = file["servers"] as JsonObject ?? [];
        servers[KeelCredentials.Key(server)] = entry;
        file["servers"] = servers;
        Write(file);
    }

    private static JsonObject Load()
    {
        var path = KeelCredentials.CredentialsFile;
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject o ? o : [];
        }
        catch (System.Text.Json.JsonException)
        {
            throw KeelException.InvalidParameter($"{path} is not valid JSON: fix or delete it, then sign in again.");
        }
    }

    // Written beside and renamed over, owner-only from the start: the file holds working tokens.
    private static void Write(JsonObject file)
    {
        var path = KeelCredentials.CredentialsFile;
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly.FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(file.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })));
        }

        File.Move(temporary, path, overwrite: true);
    }
}
