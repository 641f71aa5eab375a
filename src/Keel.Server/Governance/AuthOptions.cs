using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>
/// Authentication and authorization of <c>keel server</c>. Off by default, which is allowed only
/// on a loopback address (the single-user laptop); <c>--auth</c> (KEEL_AUTH=true) turns it on.
/// </summary>
public sealed record AuthOptions
{
    /// <summary>Require every request but the public ones (health, version, UI files) to sign in. <c>--auth</c>, KEEL_AUTH.</summary>
    public bool Enabled { get; init; }

    /// <summary>The first admin, created at start when no user of that name exists (KEEL_ADMIN_USERNAME); an existing user is left as it is.</summary>
    public string? AdminUsername { get; init; }

    /// <summary>The first admin's password (KEEL_ADMIN_PASSWORD).</summary>
    public string? AdminPassword { get; init; }

    /// <summary>
    /// The permission a user has on an experiment or registered model without a row of their own
    /// (MLflow's <c>default_permission</c>, READ by default). KEEL_AUTH_DEFAULT_PERMISSION.
    /// </summary>
    public PermissionLevel DefaultPermission { get; init; } = PermissionLevel.Read;

    /// <summary>The role every signed-in user has in every environment without a binding (viewer by default). KEEL_AUTH_DEFAULT_ROLE.</summary>
    public EnvironmentRole DefaultRole { get; init; } = EnvironmentRole.Viewer;

    /// <summary>How long a verified password or token is trusted before it is checked against the store again; changes made through this server take effect at once. KEEL_AUTH_CACHE_SECONDS.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a server asks the store whether users or permissions changed (another replica may have changed them).</summary>
    public TimeSpan ChangeCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>OpenID Connect sign-in with bearer JWTs; null turns it off.</summary>
    public OidcOptions? Oidc { get; init; }
}

/// <summary>
/// Bearer JWTs from an OpenID Connect provider: validated for signature (the provider's JWKS),
/// issuer, audience and lifetime. A user signing in for the first time is created without a password.
/// </summary>
public sealed record OidcOptions
{
    /// <summary>The issuer (<c>iss</c>), e.g. <c>https://login.example.com/realms/ml</c>. KEEL_OIDC_ISSUER.</summary>
    public required string Issuer { get; init; }

    /// <summary>The audience tokens must name (<c>aud</c>). KEEL_OIDC_AUDIENCE.</summary>
    public required string Audience { get; init; }

    /// <summary>Where the signing keys are; default: <c>jwks_uri</c> from the issuer's <c>/.well-known/openid-configuration</c>. KEEL_OIDC_JWKS_URI.</summary>
    public Uri? JwksUri { get; init; }

    /// <summary>The claim that names the user (default <c>preferred_username</c>, then <c>email</c>, then <c>sub</c>). KEEL_OIDC_USERNAME_CLAIM.</summary>
    public string? UsernameClaim { get; init; }

    /// <summary>Members of this group (in the <c>groups</c> claim) are admins. KEEL_OIDC_ADMIN_GROUP.</summary>
    public string? AdminGroup { get; init; }

    /// <summary>Allow an http issuer or JWKS address (tests, a provider on localhost); https otherwise.</summary>
    public bool AllowHttp { get; init; }
}
