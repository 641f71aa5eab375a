using System.Net;
using Keel.Core.Backends;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>Puts authentication and authorization into the server, and refuses to start a server that would be open to a network without them.</summary>
internal static class GovernanceComposition
{
    /// <summary>Refuses, before anything listens, a server on a non-loopback address without authentication.</summary>
    public static void CheckExposure(AuthOptions auth, string host)
    {
        if (!auth.Enabled && !IsLoopback(host))
        {
            throw KeelException.InvalidParameter(
                $"Refusing to listen on {host} without authentication: anyone who can reach it could change or delete everything. "
                + "Turn authentication on with --auth (or KEEL_AUTH=true) and create the first admin with KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD "
                + "(or `keel users create NAME --admin --data-dir DIR`), or listen on 127.0.0.1.");
        }
    }

    public static void AddKeelGovernance(this IServiceCollection services, AuthOptions auth, IMetadataBackend backend)
    {
        services.AddSingleton(auth);
        services.AddSingleton(sp => new GovernanceCache(backend.Governance, backend.Environments, auth, TimeProvider.System));
        services.AddSingleton(sp => new Authenticator(
            backend.Governance,
            sp.GetRequiredService<Keel.Application.Governance.UserService>(),
            sp.GetRequiredService<GovernanceCache>(),
            auth,
            auth.Oidc is { } oidc ? new OidcValidator(oidc, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }) : null,
            TimeProvider.System));
        services.AddSingleton(sp => new AccessChecker(
            backend.Governance,
            backend.Tracking,
            backend.Alerts,
            backend.Pipelines,
            CachedEnvironments(sp),
            sp.GetRequiredService<GovernanceCache>(),
            auth));
    }

    // Authorization asks for a resource's environment on every request (inference included): it reads
    // it through the governance cache, which drops it when the environment store's counter moves
    // (checked at most once a second) or a change goes through this server.
    private static Func<GovernedResource, string, CancellationToken, ValueTask<string>> CachedEnvironments(IServiceProvider services)
    {
        var resolver = services.GetRequiredService<Keel.Application.Governance.EnvironmentResolver>();
        var serving = services.GetRequiredService<Keel.Core.Serving.IServingStore>();
        var cache = services.GetRequiredService<GovernanceCache>();
        return async (kind, name, cancellationToken) =>
        {
            if (cache.Environments.TryGetValue((kind, name), out var environment))
            {
                return environment;
            }

            // An endpoint nobody assigned is in the environment it was created in.
            var declared = kind == GovernedResource.Endpoint ? (await serving.FindEndpointAsync(name, cancellationToken).ConfigureAwait(false))?.Environment : null;
            environment = await resolver.ResolveAsync(kind, name, declared, cancellationToken).ConfigureAwait(false);
            cache.Trim(cache.Environments);
            return cache.Environments[(kind, name)] = environment;
        };
    }

    /// <summary>Creates the first admin from KEEL_ADMIN_USERNAME/PASSWORD when no user of that name exists, and refuses to start with authentication on and no admin at all.</summary>
    public static async Task BootstrapAsync(AuthOptions auth, IGovernanceStore store, CancellationToken cancellationToken)
    {
        if (!auth.Enabled)
        {
            return;
        }

        if (auth.AdminUsername is { } username)
        {
            if (auth.AdminPassword is not { } password)
            {
                throw KeelException.InvalidParameter("KEEL_ADMIN_PASSWORD must be set with KEEL_ADMIN_USERNAME.");
            }

            if (await store.FindUserAsync(username, cancellationToken).ConfigureAwait(false) is null)
            {
                Keel.Application.Governance.GovernanceRules.Password(password, "KEEL_ADMIN_PASSWORD");
                try
                {
                    await store.CreateUserAsync(username, Keel.Application.Governance.PasswordHasher.Default.Hash(password), true, cancellationToken).ConfigureAwait(false);
                }
                catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
                {
                    // Another replica created it at the same moment.
                }
            }
        }

        if (auth.Oidc is null && !(await store.ListUsersAsync(cancellationToken).ConfigureAwait(false)).Any(u => u.IsAdmin))
        {
            throw KeelException.InvalidParameter(
                "Authentication is on but there is no admin user: set KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD, or run `keel users create NAME --admin --data-dir DIR` first.");
        }
    }

    private static bool IsLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }
}
