using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>`keel users`, `keel tokens`, `keel permissions`, `keel groups` and `keel roles`, as a user runs them: on a data dir and against a server.</summary>
public sealed class GovernanceCliTests
{
    [Fact]
    public async Task The_first_admin_and_their_token_are_made_on_the_data_dir_without_a_server()
    {
        var dataDir = TempDirs.Create("keel-users-cli");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(["users", "create", "root", "--admin", "--password-stdin", "--data-dir", dataDir], stdin: "correct-horse-battery\n");
            Assert.True(code == 0, stderr);
            Assert.Contains("Created user root", stdout, StringComparison.Ordinal);

            // A short password is refused naming the field, and creates nobody.
            (code, _, stderr) = await KeelCli.RunAsync(["users", "create", "shorty", "--password-stdin", "--data-dir", dataDir], stdin: "1234567\n");
            Assert.Equal(6, code);
            Assert.Contains("'password'", stderr, StringComparison.Ordinal);

            (code, stdout, stderr) = await KeelCli.RunAsync(["users", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(code == 0, stderr);
            var user = JsonNode.Parse(stdout)!["users"]!.AsArray().Single()!;
            Assert.Equal(("root", true), ((string)user["username"]!, (bool)user["is_admin"]!));

            // The token is printed once, alone on stdout, with a warning on stderr.
            (code, stdout, stderr) = await KeelCli.RunAsync(["tokens", "create", "ci", "--user", "root", "--expires-in-days", "7", "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            var secret = stdout.Trim();
            Assert.Matches("^keel_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$", secret);
            Assert.Contains("cannot be shown again", stderr, StringComparison.Ordinal);

            // On the data dir there is nobody signed in to own a token.
            (code, _, stderr) = await KeelCli.RunAsync(["tokens", "create", "ci", "--data-dir", dataDir]);
            Assert.Equal(6, code);
            Assert.Contains("--user", stderr, StringComparison.Ordinal);

            (code, stdout, stderr) = await KeelCli.RunAsync(["tokens", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(code == 0, stderr);
            Assert.DoesNotContain(secret[18..], stdout, StringComparison.Ordinal);
            var token = JsonNode.Parse(stdout)!["tokens"]!.AsArray().Single()!;
            Assert.Equal((secret[5..17], "root", "ci"), ((string)token["id"]!, (string)token["username"]!, (string)token["name"]!));
            Assert.NotNull(token["expires_at"]);
            Assert.Null(token["revoked_at"]);

            (code, _, stderr) = await KeelCli.RunAsync(["tokens", "revoke", secret[5..17], "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            (_, stdout, _) = await KeelCli.RunAsync(["tokens", "list", "--data-dir", dataDir, "--output", "json"]);
            Assert.NotNull(JsonNode.Parse(stdout)!["tokens"]![0]!["revoked_at"]);

            // The server started on this data dir knows the admin made before it.
            await using var server = await KeelServerProcess.StartAsync(dataDir);
            (code, stdout, stderr) = await KeelCli.RunAsync(["users", "list", "--tracking-uri", server.BaseUri.ToString(), "--output", "json"]);
            Assert.True(code == 0, stderr);
            Assert.Equal("root", (string)JsonNode.Parse(stdout)!["users"]![0]!["username"]!);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Users_permissions_groups_and_roles_are_managed_over_a_server()
    {
        await using var server = await KeelServerProcess.StartAsync();
        string[] At(params string[] args) => [.. args, "--tracking-uri", server.BaseUri.ToString()];

        var (code, _, stderr) = await KeelCli.RunAsync(At("users", "create", "alice", "--password-stdin"), stdin: "alice-password\n");
        Assert.True(code == 0, stderr);

        (code, _, stderr) = await KeelCli.RunAsync(At("permissions", "grant", "--experiment-id", "0", "--user", "alice", "--permission", "READ"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await KeelCli.RunAsync(At("permissions", "update", "--experiment-id", "0", "--user", "alice", "--permission", "EDIT"));
        Assert.True(code == 0, stderr);
        var (getCode, getOut, getErr) = await KeelCli.RunAsync(At("permissions", "get", "--experiment-id", "0", "--user", "alice", "--output", "json"));
        Assert.True(getCode == 0, getErr);
        Assert.Equal(("0", "EDIT"), ((string)JsonNode.Parse(getOut)!["experiment_permission"]!["experiment_id"]!, (string)JsonNode.Parse(getOut)!["experiment_permission"]!["permission"]!));

        (code, _, stderr) = await KeelCli.RunAsync(At("permissions", "grant", "--model", "churn", "--user", "alice", "--permission", "OWNER"));
        Assert.Equal(6, code);
        Assert.Contains("Valid permissions are", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await KeelCli.RunAsync(At("permissions", "grant", "--model", "churn", "--user", "alice", "--permission", "MANAGE"));
        Assert.True(code == 0, stderr);

        (code, _, stderr) = await KeelCli.RunAsync(At("permissions", "revoke", "--experiment-id", "0", "--user", "alice"));
        Assert.True(code == 0, stderr);
        (code, _, _) = await KeelCli.RunAsync(At("permissions", "get", "--experiment-id", "0", "--user", "alice"));
        Assert.Equal(3, code);

        (code, _, stderr) = await KeelCli.RunAsync(At("groups", "add-member", "ml", "alice"));
        Assert.True(code == 0, stderr);
        var (groupsCode, groupsOut, groupsErr) = await KeelCli.RunAsync(At("groups", "list", "--output", "json"));
        Assert.True(groupsCode == 0, groupsErr);
        Assert.Equal("alice", (string)JsonNode.Parse(groupsOut)!["groups"]![0]!["members"]![0]!);

        (code, _, stderr) = await KeelCli.RunAsync(At("roles", "set", "group:ml", "prod", "deployer"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await KeelCli.RunAsync(At("roles", "set", "group:ml", "Prod", "deployer"));
        Assert.Equal(6, code);
        Assert.Contains("'environment'", stderr, StringComparison.Ordinal);
        var (rolesCode, rolesOut, rolesErr) = await KeelCli.RunAsync(At("roles", "list", "--output", "json"));
        Assert.True(rolesCode == 0, rolesErr);
        var role = JsonNode.Parse(rolesOut)!["roles"]!.AsArray().Single()!;
        Assert.Equal(("group:ml", "prod", "deployer"), ((string)role["principal"]!, (string)role["environment"]!, (string)role["role"]!));

        (code, _, stderr) = await KeelCli.RunAsync(At("users", "set-admin", "alice", "true"));
        Assert.True(code == 0, stderr);
        var (listCode, listOut, listErr) = await KeelCli.RunAsync(At("users", "list", "--output", "json"));
        Assert.True(listCode == 0, listErr);
        Assert.True((bool)JsonNode.Parse(listOut)!["users"]![0]!["is_admin"]!);

        var (tokCode, tokOut, tokErr) = await KeelCli.RunAsync(At("tokens", "create", "laptop", "--user", "alice"));
        Assert.True(tokCode == 0, tokErr);
        Assert.StartsWith("keel_", tokOut.Trim(), StringComparison.Ordinal);

        (code, _, stderr) = await KeelCli.RunAsync(At("roles", "remove", "group:ml", "prod"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await KeelCli.RunAsync(At("users", "delete", "alice"));
        Assert.True(code == 0, stderr);
        (listCode, listOut, _) = await KeelCli.RunAsync(At("users", "list", "--output", "json"));
        Assert.Empty(JsonNode.Parse(listOut)!["users"]!.AsArray());
        (_, tokOut, _) = await KeelCli.RunAsync(At("tokens", "list", "--all", "--output", "json"));
        Assert.Empty(JsonNode.Parse(tokOut)!["tokens"]!.AsArray());
    }
}
