using Keel.Core.Errors;
using Keel.Core.Governance;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IGovernanceStore"/> backend signs up to: users are unique by name
/// and keep their password hash; tokens are found by the hash of their secret, listed newest first
/// and revoked once; one permission row per kind, resource and user, with MLflow's errors; deleting
/// a user takes their tokens, permissions, memberships and roles with them; groups and role bindings
/// are idempotent; every write raises the change version and a refused write does not.
/// </summary>
public abstract class GovernanceStoreContract : IDisposable
{
    private IGovernanceStore? _store;

    /// <summary>Returns a fresh, empty governance store.</summary>
    protected abstract IGovernanceStore CreateStore();

    protected IGovernanceStore Store => _store ??= CreateStore();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Users_are_unique_by_name_listed_by_name_and_changed_in_place()
    {
        var bob = await Store.CreateUserAsync("bob", "$argon2id$bob", isAdmin: false);
        var alice = await Store.CreateUserAsync("alice", "$argon2id$alice", isAdmin: true);
        Assert.NotEqual(bob.Id, alice.Id);
        Assert.Equal(("alice", true), (alice.Username, alice.IsAdmin));
        Assert.Equal((bob.Id, "bob", false), ((await Store.FindUserAsync("bob"))!.Id, (await Store.FindUserAsync("bob"))!.Username, (await Store.FindUserAsync("bob"))!.IsAdmin));
        Assert.Null(await Store.FindUserAsync("carol"));
        Assert.Equal(["alice", "bob"], (await Store.ListUsersAsync()).Select(u => u.Username));

        var taken = await Assert.ThrowsAsync<KeelException>(() => Store.CreateUserAsync("bob", null, isAdmin: true));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, taken.Code);
        Assert.False((await Store.FindUserAsync("bob"))!.IsAdmin);

        Assert.True((await Store.UpdateAdminAsync("bob", true)).IsAdmin);
        Assert.True((await Store.FindUserAsync("bob"))!.IsAdmin);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.UpdateAdminAsync("carol", true))).Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.UpdatePasswordAsync("carol", "$argon2id$x"))).Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.DeleteUserAsync("carol"))).Code);

        await Store.DeleteUserAsync("bob");
        Assert.Null(await Store.FindUserAsync("bob"));
        Assert.Equal(["alice"], (await Store.ListUsersAsync()).Select(u => u.Username));
    }

    [ContractFact]
    public async Task A_credential_carries_the_stored_password_hash_and_a_new_password_replaces_it()
    {
        await Store.CreateUserAsync("alice", "$argon2id$first", isAdmin: false);
        await Store.CreateUserAsync("robot", null, isAdmin: false);
        Assert.Equal("$argon2id$first", (await Store.FindCredentialAsync("alice"))!.PasswordHash);
        Assert.Null((await Store.FindCredentialAsync("robot"))!.PasswordHash);
        Assert.Null(await Store.FindCredentialAsync("nobody"));

        await Store.UpdatePasswordAsync("alice", "$argon2id$second");
        var credential = (await Store.FindCredentialAsync("alice"))!;
        Assert.Equal(("alice", "$argon2id$second"), (credential.User.Username, credential.PasswordHash));
    }

    [ContractFact]
    public async Task Tokens_are_listed_newest_first_per_user_and_revoking_keeps_the_first_revocation()
    {
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.CreateUserAsync("bob", null, isAdmin: false);
        var first = await Store.CreateTokenAsync("aaaaaaaaaaaa", "alice", "laptop", [1, 2, 3], null);
        var expiring = await Store.CreateTokenAsync("bbbbbbbbbbbb", "alice", "ci", [4, 5, 6], 4_102_444_800_000);
        await Store.CreateTokenAsync("cccccccccccc", "bob", "ci", [7, 8, 9], null);
        Assert.Equal(("aaaaaaaaaaaa", "alice", "laptop", (long?)null, (long?)null), (first.Id, first.Username, first.Name, first.ExpiresAt, first.RevokedAt));
        Assert.Equal(4_102_444_800_000, expiring.ExpiresAt);

        Assert.Equal(["bbbbbbbbbbbb", "aaaaaaaaaaaa"], (await Store.ListTokensAsync("alice")).Select(t => t.Id));
        Assert.Equal(3, (await Store.ListTokensAsync(null)).Count);
        Assert.Empty(await Store.ListTokensAsync("nobody"));

        var revoked = await Store.RevokeTokenAsync("aaaaaaaaaaaa");
        Assert.NotNull(revoked.RevokedAt);
        Assert.False(revoked.IsActive(revoked.RevokedAt!.Value + 1));
        Assert.Equal(revoked.RevokedAt, (await Store.RevokeTokenAsync("aaaaaaaaaaaa")).RevokedAt);
        Assert.Equal(revoked.RevokedAt, (await Store.ListTokensAsync("alice")).Single(t => t.Id == "aaaaaaaaaaaa").RevokedAt);
        Assert.Null((await Store.ListTokensAsync("alice")).Single(t => t.Id == "bbbbbbbbbbbb").RevokedAt);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.RevokeTokenAsync("zzzzzzzzzzzz"))).Code);
    }

    [ContractFact]
    public async Task A_token_is_found_by_the_hash_of_its_secret_with_its_user_even_when_revoked()
    {
        var alice = await Store.CreateUserAsync("alice", null, isAdmin: true);
        await Store.CreateTokenAsync("aaaaaaaaaaaa", "alice", "ci", [1, 2, 3], null);
        var found = (await Store.FindTokenAsync([1, 2, 3]))!.Value;
        Assert.Equal(("aaaaaaaaaaaa", alice.Id, true), (found.Token.Id, found.User.Id, found.User.IsAdmin));
        Assert.Null(await Store.FindTokenAsync([1, 2, 4]));

        await Store.RevokeTokenAsync("aaaaaaaaaaaa");
        Assert.NotNull((await Store.FindTokenAsync([1, 2, 3]))!.Value.Token.RevokedAt);

        // A secret hash is unique; a token needs a user.
        Assert.Equal(ErrorCode.ResourceAlreadyExists, (await Assert.ThrowsAsync<KeelException>(() => Store.CreateTokenAsync("bbbbbbbbbbbb", "alice", "again", [1, 2, 3], null))).Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.CreateTokenAsync("cccccccccccc", "nobody", "x", [9], null))).Code);
    }

    [ContractFact]
    public async Task One_permission_per_resource_and_user_with_mlflows_errors()
    {
        var alice = await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.CreateUserAsync("bob", null, isAdmin: false);
        var created = await Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Read);
        Assert.Equal(new ResourcePermission(PermissionResource.Experiment, "1", "alice", alice.Id, PermissionLevel.Read), created);
        await Store.CreatePermissionAsync(PermissionResource.RegisteredModel, "churn", "alice", PermissionLevel.Manage);
        await Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "bob", PermissionLevel.NoPermissions);

        Assert.Equal(PermissionLevel.Read, (await Store.FindPermissionAsync(PermissionResource.Experiment, "1", "alice"))!.Permission);
        Assert.Equal(PermissionLevel.NoPermissions, (await Store.FindPermissionAsync(PermissionResource.Experiment, "1", "bob"))!.Permission);
        Assert.Null(await Store.FindPermissionAsync(PermissionResource.Experiment, "2", "alice"));
        Assert.Null(await Store.FindPermissionAsync(PermissionResource.RegisteredModel, "1", "alice"));

        var again = await Assert.ThrowsAsync<KeelException>(() => Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Edit));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, again.Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "nobody", PermissionLevel.Edit))).Code);

        Assert.Equal(PermissionLevel.Edit, (await Store.UpdatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Edit)).Permission);
        Assert.Equal(PermissionLevel.Edit, (await Store.FindPermissionAsync(PermissionResource.Experiment, "1", "alice"))!.Permission);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.UpdatePermissionAsync(PermissionResource.Experiment, "2", "alice", PermissionLevel.Edit))).Code);

        var mine = await Store.ListPermissionsAsync("alice", null, null);
        Assert.Equal([(PermissionResource.Experiment, "1", PermissionLevel.Edit), (PermissionResource.RegisteredModel, "churn", PermissionLevel.Manage)], mine.Select(p => (p.Kind, p.Resource, p.Permission)));

        await Store.DeletePermissionAsync(PermissionResource.Experiment, "1", "alice");
        Assert.Null(await Store.FindPermissionAsync(PermissionResource.Experiment, "1", "alice"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.DeletePermissionAsync(PermissionResource.Experiment, "1", "alice"))).Code);
        Assert.Equal(PermissionLevel.NoPermissions, (await Store.FindPermissionAsync(PermissionResource.Experiment, "1", "bob"))!.Permission);
    }

    [ContractFact]
    public async Task Permissions_list_by_resource_and_follow_a_renamed_model()
    {
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.CreateUserAsync("bob", null, isAdmin: false);
        await Store.CreatePermissionAsync(PermissionResource.RegisteredModel, "7", "bob", PermissionLevel.Read);
        await Store.CreatePermissionAsync(PermissionResource.RegisteredModel, "7", "alice", PermissionLevel.Manage);
        await Store.CreatePermissionAsync(PermissionResource.RegisteredModel, "fraud", "alice", PermissionLevel.Edit);
        await Store.CreatePermissionAsync(PermissionResource.Experiment, "7", "alice", PermissionLevel.Edit);

        Assert.Equal(["alice", "bob"], (await Store.ListPermissionsAsync(null, PermissionResource.RegisteredModel, "7")).Select(p => p.Username));

        await Store.RenameResourceAsync(PermissionResource.RegisteredModel, "7", "7-v2");
        Assert.Empty(await Store.ListPermissionsAsync(null, PermissionResource.RegisteredModel, "7"));
        Assert.Equal(PermissionLevel.Manage, (await Store.FindPermissionAsync(PermissionResource.RegisteredModel, "7-v2", "alice"))!.Permission);

        // The experiment whose id is the model's old name keeps its row.
        Assert.Equal(PermissionLevel.Edit, (await Store.FindPermissionAsync(PermissionResource.Experiment, "7", "alice"))!.Permission);
    }

    [ContractFact]
    public async Task Groups_are_created_on_first_member_and_membership_changes_are_idempotent()
    {
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.CreateUserAsync("bob", null, isAdmin: false);
        await Store.AddGroupMemberAsync("ml", "bob");
        await Store.AddGroupMemberAsync("ml", "alice");
        await Store.AddGroupMemberAsync("ml", "alice");
        await Store.AddGroupMemberAsync("ops", "alice");

        var groups = await Store.ListGroupsAsync();
        Assert.Equal(["ml", "ops"], groups.Select(g => g.Group));
        Assert.Equal(["alice", "bob"], groups[0].Members);
        Assert.Equal(["ml", "ops"], await Store.GroupsOfAsync("alice"));
        Assert.Empty(await Store.GroupsOfAsync("nobody"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.AddGroupMemberAsync("ml", "nobody"))).Code);

        await Store.RemoveGroupMemberAsync("ml", "alice");
        await Store.RemoveGroupMemberAsync("ml", "alice");
        await Store.RemoveGroupMemberAsync("nothing", "alice");
        Assert.Equal(["ops"], await Store.GroupsOfAsync("alice"));
        Assert.Equal(["bob"], (await Store.ListGroupsAsync()).Single(g => g.Group == "ml").Members);
    }

    [ContractFact]
    public async Task A_role_binding_replaces_the_principals_earlier_role_in_that_environment()
    {
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.SetRoleAsync(new RoleBinding("user:alice", "prod", EnvironmentRole.Viewer));
        await Store.SetRoleAsync(new RoleBinding("group:ml", "*", EnvironmentRole.Editor));
        await Store.SetRoleAsync(new RoleBinding("user:alice", "dev", EnvironmentRole.Admin));
        Assert.Equal(EnvironmentRole.Deployer, (await Store.SetRoleAsync(new RoleBinding("user:alice", "prod", EnvironmentRole.Deployer))).Role);

        Assert.Equal(
            [new RoleBinding("group:ml", "*", EnvironmentRole.Editor), new RoleBinding("user:alice", "dev", EnvironmentRole.Admin), new RoleBinding("user:alice", "prod", EnvironmentRole.Deployer)],
            await Store.ListRolesAsync());

        await Store.RemoveRoleAsync("user:alice", "prod");
        await Store.RemoveRoleAsync("user:alice", "prod");
        Assert.Equal(["*/group:ml", "dev/user:alice"], (await Store.ListRolesAsync()).Select(r => r.Environment + "/" + r.Principal));
    }

    [ContractFact]
    public async Task Deleting_a_user_takes_their_tokens_permissions_memberships_and_roles()
    {
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        await Store.CreateUserAsync("bob", null, isAdmin: false);
        await Store.CreateTokenAsync("aaaaaaaaaaaa", "alice", "ci", [1], null);
        await Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Manage);
        await Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "bob", PermissionLevel.Read);
        await Store.AddGroupMemberAsync("ml", "alice");
        await Store.AddGroupMemberAsync("ml", "bob");
        await Store.SetRoleAsync(new RoleBinding("user:alice", "prod", EnvironmentRole.Admin));
        await Store.SetRoleAsync(new RoleBinding("group:ml", "prod", EnvironmentRole.Viewer));

        await Store.DeleteUserAsync("alice");

        Assert.Empty(await Store.ListTokensAsync(null));
        Assert.Equal(["bob"], (await Store.ListPermissionsAsync(null, PermissionResource.Experiment, "1")).Select(p => p.Username));
        Assert.Equal(["bob"], (await Store.ListGroupsAsync()).Single().Members);
        Assert.Equal(["group:ml"], (await Store.ListRolesAsync()).Select(r => r.Principal));

        // The name is free again, with nothing of the old user's.
        await Store.CreateUserAsync("alice", null, isAdmin: false);
        Assert.Empty(await Store.ListPermissionsAsync("alice", null, null));
        Assert.Empty(await Store.GroupsOfAsync("alice"));
    }

    [ContractFact]
    public async Task Every_write_raises_the_change_version_and_a_refused_write_does_not()
    {
        var start = await Store.ChangeVersionAsync();
        var seen = new List<long> { start };
        async Task Raised(Func<Task> write)
        {
            await write();
            var now = await Store.ChangeVersionAsync();
            Assert.True(now > seen[^1], $"version {now} after {seen[^1]}");
            seen.Add(now);
        }

        await Raised(() => Store.CreateUserAsync("alice", "$argon2id$x", isAdmin: false));
        await Raised(() => Store.UpdatePasswordAsync("alice", "$argon2id$y"));
        await Raised(() => Store.UpdateAdminAsync("alice", true));
        await Raised(() => Store.CreateTokenAsync("aaaaaaaaaaaa", "alice", "ci", [1], null));
        await Raised(() => Store.RevokeTokenAsync("aaaaaaaaaaaa"));
        await Raised(() => Store.CreatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Read));
        await Raised(() => Store.UpdatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Edit));
        await Raised(() => Store.DeletePermissionAsync(PermissionResource.Experiment, "1", "alice"));
        await Raised(() => Store.AddGroupMemberAsync("ml", "alice"));
        await Raised(() => Store.RemoveGroupMemberAsync("ml", "alice"));
        await Raised(() => Store.SetRoleAsync(new RoleBinding("user:alice", "prod", EnvironmentRole.Viewer)));
        await Raised(() => Store.RemoveRoleAsync("user:alice", "prod"));
        await Raised(() => Store.DeleteUserAsync("alice"));

        await Assert.ThrowsAsync<KeelException>(() => Store.DeleteUserAsync("alice"));
        await Assert.ThrowsAsync<KeelException>(() => Store.UpdatePermissionAsync(PermissionResource.Experiment, "1", "alice", PermissionLevel.Edit));
        Assert.Equal(seen[^1], await Store.ChangeVersionAsync());
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
