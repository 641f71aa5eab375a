using Keel.Application.Governance;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Server.Governance;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// Two in-process servers with authentication on, for the authorization table: one where users
/// without grants may read (MLflow's default READ, the viewer role), one where they may do nothing
/// (NO_PERMISSIONS, no role). Each has an admin and one plain user, signed in with API tokens.
/// </summary>
public sealed class AuthServers : IAsyncLifetime
{
    public const string AdminName = "root";
    public const string AdminPassword = "root-password-1";

    private readonly InProcessServers _servers = new();

    public AuthServer Reading { get; private set; } = null!;

    public AuthServer Closed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Reading = await StartAsync(PermissionLevel.Read, EnvironmentRole.Viewer);
        Closed = await StartAsync(PermissionLevel.NoPermissions, EnvironmentRole.None);
    }

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    /// <summary>A server with authentication on, an admin, and a user named "user" with the given defaults.</summary>
    public async Task<AuthServer> StartAsync(PermissionLevel defaultPermission, EnvironmentRole defaultRole)
    {
        var auth = new AuthOptions
        {
            Enabled = true,
            AdminUsername = AdminName,
            AdminPassword = AdminPassword,
            DefaultPermission = defaultPermission,
            DefaultRole = defaultRole,
            ChangeCheckInterval = TimeSpan.Zero,
        };
        var (client, services) = _servers.Start(new KeelServerOptions { Auth = auth });
        var store = services.GetRequiredService<IGovernanceStore>();
        await store.CreateUserAsync("user", PasswordHasher.Default.Hash("user-password-1"), false);
        return new AuthServer(client.TrackingUri, services, await TokenAsync(store, AdminName), await TokenAsync(store, "user"));
    }

    public static async Task<string> TokenAsync(IGovernanceStore store, string username)
    {
        var (id, token) = ApiTokens.Generate();
        await store.CreateTokenAsync(id, username, "test", ApiTokens.HashOf(token), null);
        return token;
    }
}

/// <summary>One server of <see cref="AuthServers"/>: its address, services and the two users' tokens.</summary>
public sealed record AuthServer(Uri Address, IServiceProvider Services, string AdminToken, string UserToken)
{
    /// <summary>An HTTP client signed in with <paramref name="token"/> (none when null).</summary>
    public HttpClient Http(string? token)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return http;
    }
}
