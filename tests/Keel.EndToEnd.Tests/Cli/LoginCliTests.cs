using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// <c>keel login</c> and <c>keel logout</c> against a `keel server --auth` process: a wrong password
/// is refused with a message and saves nothing; the right one saves a token (not the password),
/// owner-only, which later commands send; logout revokes it on the server and forgets it.
/// </summary>
public sealed class LoginCliTests
{
    [Fact]
    public async Task Login_saves_a_token_that_later_commands_use_and_logout_revokes_it()
    {
        await using var server = await KeelServerProcess.StartAsync(
            extraArgs: ["--auth"], env: new Dictionary<string, string?> { ["KEEL_ADMIN_USERNAME"] = "root", ["KEEL_ADMIN_PASSWORD"] = "root-password-1" });
        var home = TempDirs.Create("keel-login");
        var credentials = Path.Combine(home, "credentials");
        var env = new Dictionary<string, string?> { ["KEEL_CREDENTIALS_FILE"] = credentials, ["KEEL_TRACKING_URI"] = server.BaseUri.ToString() };
        try
        {
            // Without a sign-in the server's 401 becomes a message saying how to sign in.
            var (code, _, stderr) = await KeelCli.RunAsync(["users", "list"], env);
            Assert.NotEqual(0, code);
            Assert.Contains("keel login", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

            (code, _, stderr) = await KeelCli.RunAsync(["login", "--username", "root", "--password-stdin"], env, stdin: "wrong-password\n");
            Assert.NotEqual(0, code);
            Assert.False(File.Exists(credentials));

            (code, var stdout, stderr) = await KeelCli.RunAsync(["login", "--username", "root", "--password-stdin"], env, stdin: "root-password-1\n");
            Assert.True(code == 0, stderr);
            Assert.Contains("Signed in", stdout, StringComparison.Ordinal);
            var saved = File.ReadAllText(credentials);
            Assert.DoesNotContain("root-password-1", saved, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
            }


            (code, stdout, stderr) = await KeelCli.RunAsync(["users", "list", "--output", "json"], env);
            Assert.True(code == 0, stderr);
            Assert.Equal("root", (string)JsonNode.Parse(stdout)!["users"]![0]!["username"]!);

            (code, _, stderr) = await KeelCli.RunAsync(["logout"], env);
            Assert.True(code == 0, stderr);
            var tokenId = (string)JsonNode.Parse(saved)!["servers"]!.AsObject().Single().Value!["token_id"]!;
            var token = (string)JsonNode.Parse(saved)!["servers"]!.AsObject().Single().Value!["token"]!;
            (code, _, _) = await KeelCli.RunAsync(["users", "list"], new Dictionary<string, string?>(env) { ["MLFLOW_TRACKING_TOKEN"] = token });
            Assert.NotEqual(0, code);
            Assert.Empty(JsonNode.Parse(File.ReadAllText(credentials))!["servers"]!.AsObject());
            Assert.StartsWith("keel_" + tokenId, token, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(home);
        }
    }
}
