using System.Text.Json.Nodes;
using Keel.Application.Governance;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Application.Tests.Governance;

public sealed class UserServiceTests : IDisposable
{
    private static readonly PasswordHasher Cheap = new(memoryKib: 64, iterations: 1, parallelism: 1);

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-governance-tests").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private readonly SqliteGovernanceStore _store;
    private readonly RecordingSink _audit = new();
    private readonly UserService _users;

    public UserServiceTests()
    {
        _store = new SqliteGovernanceStore(Path.Combine(_dir, "keel.db"), _clock);
        _users = new UserService(_store, _audit, Cheap, _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(null, "password1", "Missing value for required parameter 'username'")]
    [InlineData("", "password1", "Missing value for required parameter 'username'")]
    [InlineData("bad name", "password1", "parameter 'username'")]
    [InlineData("-alice", "password1", "parameter 'username'")]
    [InlineData("user:alice", "password1", "parameter 'username'")]
    [InlineData("alice", null, "Missing value for required parameter 'password'")]
    [InlineData("alice", "short", "parameter 'password': a password needs at least 8 characters")]
    public async Task A_bad_username_or_password_is_a_400_naming_the_field_and_stores_nothing(string? username, string? password, string message)
    {
        var error = await Assert.ThrowsAsync<KeelException>(() => _users.CreateUserAsync(username, password, false, "admin"));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _users.ListUsersAsync());
        Assert.Empty(_audit.Entries);
    }

    [Fact]
    public async Task A_user_signs_in_with_their_password_and_the_audit_log_never_sees_it()
    {
        await _users.CreateUserAsync("alice@example.com", "first-password", isAdmin: false, "admin");
        Assert.Equal("alice@example.com", (await _users.AuthenticatePasswordAsync("alice@example.com", "first-password"))!.Username);
        Assert.Null(await _users.AuthenticatePasswordAsync("alice@example.com", "wrong-password"));
        Assert.Null(await _users.AuthenticatePasswordAsync("nobody", "first-password"));

        await _users.UpdatePasswordAsync("alice@example.com", "second-password", "alice@example.com");
        Assert.Null(await _users.AuthenticatePasswordAsync("alice@example.com", "first-password"));
        Assert.NotNull(await _users.AuthenticatePasswordAsync("alice@example.com", "second-password"));

        Assert.Equal(["user.create", "user.password.update"], _audit.Entries.Select(e => e.Action));
        Assert.All(_audit.Entries, e => Assert.DoesNotContain("password", (e.Before ?? string.Empty) + (e.After ?? string.Empty), StringComparison.OrdinalIgnoreCase));
        Assert.All(_audit.Entries, e => Assert.DoesNotContain("argon2", (e.Before ?? string.Empty) + (e.After ?? string.Empty), StringComparison.Ordinal));
        Assert.Equal(("admin", "user", "alice@example.com"), (_audit.Entries[0].Actor, _audit.Entries[0].ResourceType, _audit.Entries[0].Resource));
    }

    [Fact]
    public async Task A_token_is_shown_once_authenticates_until_revoked_or_expired_and_is_stored_only_hashed()
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: false, "admin");
        var created = await _users.CreateTokenAsync("ci", 30, null, "alice", isAdmin: false);
        Assert.Matches("^keel_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$", created.Secret);
        Assert.Equal(created.Token.Id, created.Secret[5..17]);
        Assert.Equal(_clock.GetUtcNow().AddDays(30).ToUnixTimeMilliseconds(), created.Token.ExpiresAt);
        Assert.Equal("alice", (await _users.AuthenticateTokenAsync(created.Secret))!.Username);
        Assert.Null(await _users.AuthenticateTokenAsync(created.Secret[..^1] + (created.Secret[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(await _users.AuthenticateTokenAsync("keel_not-a-token"));
        Assert.DoesNotContain(created.Secret[18..], string.Join(' ', _audit.Entries.Select(e => e.After)), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromDays(31));
        Assert.Null(await _users.AuthenticateTokenAsync(created.Secret));

        var forever = await _users.CreateTokenAsync("laptop", null, null, "alice", isAdmin: false);
        Assert.NotNull(await _users.AuthenticateTokenAsync(forever.Secret));
        await _users.RevokeTokenAsync(forever.Token.Id, "alice", isAdmin: false);
        Assert.Null(await _users.AuthenticateTokenAsync(forever.Secret));
        Assert.Equal(["user.create", "token.create", "token.create", "token.revoke"], _audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task A_user_manages_only_their_own_tokens_unless_admin()
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: false, "admin");
        await _users.CreateUserAsync("bob", "password-2", isAdmin: false, "admin");
        var bobs = await _users.CreateTokenAsync("ci", null, null, "bob", isAdmin: false);

        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => _users.CreateTokenAsync("x", null, "bob", "alice", isAdmin: false))).Code);
        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => _users.ListTokensAsync("bob", false, "alice", isAdmin: false))).Code);
        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => _users.ListTokensAsync(null, true, "alice", isAdmin: false))).Code);

        // Another user's token is not there for alice (not even to say it exists).
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => _users.RevokeTokenAsync(bobs.Token.Id, "alice", isAdmin: false))).Code);
        Assert.NotNull(await _users.AuthenticateTokenAsync(bobs.Secret));
        Assert.Empty(await _users.ListTokensAsync(null, false, "alice", isAdmin: false));

        // An admin may do all three.
        var forBob = await _users.CreateTokenAsync("made-by-admin", null, "bob", "root", isAdmin: true);
        Assert.Equal("bob", forBob.Token.Username);
        Assert.Equal(2, (await _users.ListTokensAsync("bob", false, "root", isAdmin: true)).Count);
        Assert.NotNull((await _users.RevokeTokenAsync(bobs.Token.Id, "root", isAdmin: true)).RevokedAt);
    }

    [Theory]
    [InlineData(null, "ci", "Missing value for required parameter 'name'")]
    [InlineData(0L, "ci", "parameter 'expires_in_days'")]
    [InlineData(3651L, "ci", "parameter 'expires_in_days'")]
    public async Task A_bad_token_request_is_a_400_naming_the_field(long? days, string? name, string message)
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: false, "admin");
        var error = await Assert.ThrowsAsync<KeelException>(() => _users.CreateTokenAsync(days is null ? null : name, days, null, "alice", isAdmin: false));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _users.ListTokensAsync(null, false, "alice", isAdmin: false));
    }

    [Fact]
    public async Task Permissions_use_mlflows_names_and_errors_and_every_change_is_audited()
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: false, "admin");
        var row = await _users.CreatePermissionAsync(PermissionResource.Experiment, "7", "alice", "READ", "admin");
        Assert.Equal(PermissionLevel.Read, row.Permission);
        await _users.UpdatePermissionAsync(PermissionResource.Experiment, "7", "alice", "EDIT", "admin");
        Assert.Equal(PermissionLevel.Edit, (await _users.GetPermissionAsync(PermissionResource.Experiment, "7", "alice")).Permission);
        await _users.DeletePermissionAsync(PermissionResource.Experiment, "7", "alice", "admin");
        var gone = await Assert.ThrowsAsync<KeelException>(() => _users.GetPermissionAsync(PermissionResource.Experiment, "7", "alice"));
        Assert.Equal((ErrorCode.ResourceDoesNotExist, "Experiment permission with experiment_id=7 and username=alice not found"), (gone.Code, gone.Message));

        var bad = await Assert.ThrowsAsync<KeelException>(() => _users.CreatePermissionAsync(PermissionResource.RegisteredModel, "churn", "alice", "read", "admin"));
        Assert.Equal(ErrorCode.InvalidParameterValue, bad.Code);
        Assert.Contains("Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')", bad.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'experiment_id'", (await Assert.ThrowsAsync<KeelException>(() => _users.CreatePermissionAsync(PermissionResource.Experiment, "abc", "alice", "READ", "admin"))).Message, StringComparison.Ordinal);

        var update = _audit.Entries.Single(e => e.Action == "permission.update");
        Assert.Equal(("experiment_permission", "7", "READ", "EDIT"), (update.ResourceType, update.Resource, (string?)JsonNode.Parse(update.Before!)!["permission"], (string?)JsonNode.Parse(update.After!)!["permission"]));
        Assert.Equal(["user.create", "permission.create", "permission.update", "permission.delete"], _audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task Groups_and_roles_validate_their_names_and_a_user_sees_roles_held_through_groups()
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: false, "admin");
        await _users.AddGroupMemberAsync("ml-team", "alice", "admin");
        await _users.AddGroupMemberAsync("ml-team", "alice", "admin");
        await _users.SetRoleAsync("group:ml-team", "prod", "deployer", "admin");
        await _users.SetRoleAsync("user:alice", "*", "viewer", "admin");
        await _users.SetRoleAsync("user:alice", "*", "viewer", "admin");

        var who = await _users.IdentifyAsync("alice");
        Assert.Equal(["ml-team"], who.Groups);
        Assert.Equal([("group:ml-team", "prod", EnvironmentRole.Deployer), ("user:alice", "*", EnvironmentRole.Viewer)], who.Roles.Select(r => (r.Principal, r.Environment, r.Role)));

        foreach (var (principal, environment, role, field) in new[]
        {
            ("alice", "prod", "viewer", "principal"), ("team:x", "prod", "viewer", "principal"), ("group:ML", "prod", "viewer", "principal"),
            ("user:alice", "Prod", "viewer", "environment"), ("user:alice", "prod env", "viewer", "environment"), ("user:alice", "prod", "owner", "role"),
        })
        {
            var error = await Assert.ThrowsAsync<KeelException>(() => _users.SetRoleAsync(principal, environment, role, "admin"));
            Assert.Contains($"parameter '{field}'", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => _users.SetRoleAsync("user:nobody", "prod", "viewer", "admin"))).Code);
        Assert.Contains("parameter 'group'", (await Assert.ThrowsAsync<KeelException>(() => _users.AddGroupMemberAsync("ML Team", "alice", "admin"))).Message, StringComparison.Ordinal);

        await _users.RemoveGroupMemberAsync("ml-team", "alice", "admin");
        await _users.RemoveGroupMemberAsync("ml-team", "alice", "admin");
        await _users.RemoveRoleAsync("user:alice", "*", "admin");
        await _users.RemoveRoleAsync("user:alice", "*", "admin");
        Assert.Empty((await _users.IdentifyAsync("alice")).Roles);

        // Repeats change nothing and record nothing.
        Assert.Equal(["user.create", "group.member.add", "role.set", "role.set", "group.member.remove", "role.remove"], _audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task Deleting_or_demoting_a_user_records_before_and_after()
    {
        await _users.CreateUserAsync("alice", "password-1", isAdmin: true, "root");
        await _users.UpdateAdminAsync("alice", false, "root");
        await _users.DeleteUserAsync("alice", "root");
        Assert.Null(await _users.AuthenticatePasswordAsync("alice", "password-1"));
        var demote = _audit.Entries.Single(e => e.Action == "user.admin.update");
        Assert.Equal((true, false), ((bool)JsonNode.Parse(demote.Before!)!["is_admin"]!, (bool)JsonNode.Parse(demote.After!)!["is_admin"]!));
        var delete = _audit.Entries.Single(e => e.Action == "user.delete");
        Assert.Null(delete.After);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => _users.DeleteUserAsync("alice", "root"))).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, (await Assert.ThrowsAsync<KeelException>(() => _users.UpdateAdminAsync("alice", null, "root"))).Code);
    }

    private sealed class RecordingSink : IAuditSink
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            Entries.Add(entry);
            return Task.CompletedTask;
        }
    }
}
