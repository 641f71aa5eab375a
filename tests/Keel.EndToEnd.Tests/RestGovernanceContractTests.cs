using Keel.Client;
using Keel.Core.Backends;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="RestGovernanceClient"/> enrolls in the governance store contract: each test
/// gets a fresh in-process server, and users, permissions, token listing and revocation, groups and
/// roles go over real HTTP (MLflow's auth routes and Keel's). What has no HTTP route is made or read
/// on the server's own store: creating a token with a given id and hash (the server makes both),
/// renaming a model's permissions (the registry does it), a resource's permission list and the
/// change version. Credentials and token lookup by hash are never exposed over HTTP.
/// </summary>
[ContractGap(nameof(A_credential_carries_the_stored_password_hash_and_a_new_password_replaces_it), "never exposed over HTTP")]
[ContractGap(nameof(A_token_is_found_by_the_hash_of_its_secret_with_its_user_even_when_revoked), "never exposed over HTTP")]
public sealed class RestGovernanceContractTests : GovernanceStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override IGovernanceStore CreateStore()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions());
        return new OverHttp(client.Governance, services.GetRequiredService<IMetadataBackend>().Governance);
    }

    private sealed class OverHttp(RestGovernanceClient http, IGovernanceStore server) : IGovernanceStore
    {
        public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) => server.ChangeVersionAsync(cancellationToken);

        public async Task<KeelUser> CreateUserAsync(string username, string? passwordHash, bool isAdmin, CancellationToken cancellationToken = default)
        {
            // Over HTTP a user is made with a password (the server hashes it); the contract's hash stands in for one.
            var user = await http.CreateUserAsync(username, passwordHash is { Length: >= 8 } ? passwordHash : "a-password", cancellationToken);
            if (isAdmin)
            {
                await http.UpdateAdminAsync(username, true, cancellationToken);
                user = user with { IsAdmin = true };
            }

            return user;
        }

        public Task<KeelUser?> FindUserAsync(string username, CancellationToken cancellationToken = default) => http.FindUserAsync(username, cancellationToken);

        public Task<UserCredential?> FindCredentialAsync(string username, CancellationToken cancellationToken = default) => throw new NotSupportedException("never exposed over HTTP");

        public Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) => http.ListUsersAsync(cancellationToken);

        public Task UpdatePasswordAsync(string username, string? passwordHash, CancellationToken cancellationToken = default) =>
            http.UpdatePasswordAsync(username, passwordHash ?? "a-password", cancellationToken);

        public async Task<KeelUser> UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken = default)
        {
            await http.UpdateAdminAsync(username, isAdmin, cancellationToken);
            return (await http.FindUserAsync(username, cancellationToken))!;
        }

        public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) => http.DeleteUserAsync(username, cancellationToken);

        public Task<ApiToken> CreateTokenAsync(string id, string username, string name, byte[] secretHash, long? expiresAt, CancellationToken cancellationToken = default) =>
            server.CreateTokenAsync(id, username, name, secretHash, expiresAt, cancellationToken);

        public Task<(ApiToken Token, KeelUser User)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken = default) => throw new NotSupportedException("never exposed over HTTP");

        public Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default) =>
            http.ListTokensAsync(username, all: username is null, cancellationToken);

        public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) => http.RevokeTokenAsync(id, cancellationToken);

        public Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
            http.CreatePermissionAsync(kind, resource, username, level, cancellationToken);

        public Task<ResourcePermission?> FindPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
            http.FindPermissionAsync(kind, resource, username, cancellationToken);

        public async Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(string? username, PermissionResource? kind, string? resource, CancellationToken cancellationToken = default)
        {
            if (username is null)
            {
                return await server.ListPermissionsAsync(username, kind, resource, cancellationToken);
            }

            return [.. (await http.ListPermissionsAsync(username, cancellationToken)).Where(p => (kind is null || p.Kind == kind) && (resource is null || p.Resource == resource))];
        }

        public Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
            http.UpdatePermissionAsync(kind, resource, username, level, cancellationToken);

        public Task DeletePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
            http.DeletePermissionAsync(kind, resource, username, cancellationToken);

        public Task RenameResourceAsync(PermissionResource kind, string oldResource, string newResource, CancellationToken cancellationToken = default) =>
            server.RenameResourceAsync(kind, oldResource, newResource, cancellationToken);

        public Task AddGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) => http.AddGroupMemberAsync(group, username, cancellationToken);

        public Task RemoveGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) => http.RemoveGroupMemberAsync(group, username, cancellationToken);

        public Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(CancellationToken cancellationToken = default) => http.ListGroupsAsync(null, cancellationToken);

        public async Task<IReadOnlyList<string>> GroupsOfAsync(string username, CancellationToken cancellationToken = default) =>
            [.. (await http.ListGroupsAsync(username, cancellationToken)).Select(g => g.Group)];

        public Task<RoleBinding> SetRoleAsync(RoleBinding binding, CancellationToken cancellationToken = default) =>
            http.SetRoleAsync(binding.Principal, binding.Environment, binding.Role.ToString().ToLowerInvariant(), cancellationToken);

        public Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken = default) => http.RemoveRoleAsync(principal, environment, cancellationToken);

        public Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default) => http.ListRolesAsync(cancellationToken);
    }
}
