using System.Security.Cryptography;
using System.Text;
using Keel.Core.Governance;
using Keel.Server.Http;

namespace Keel.Server.Governance;

/// <summary>
/// Turns a request's <c>Authorization</c> header into a <see cref="Caller"/>, as MLflow clients send it:
/// <c>Basic</c> with a username and password (MLFLOW_TRACKING_USERNAME/PASSWORD), <c>Bearer</c> with a
/// Keel API token (MLFLOW_TRACKING_TOKEN), or <c>Bearer</c> with an OpenID Connect JWT. Verifying an
/// Argon2id hash costs tens of milliseconds by design, so a verified credential is remembered for
/// <see cref="AuthOptions.CacheTtl"/> under an HMAC of it with a per-process key (the plaintext is
/// never kept, and the cache key is useless for guessing offline).
/// </summary>
internal sealed class Authenticator(IGovernanceStore store, Keel.Application.Governance.UserService users, GovernanceCache cache, AuthOptions options, OidcValidator? oidc, TimeProvider time)
{
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The caller, or null when the header is missing, malformed or names no valid credential.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = authorization[..space];
        var value = authorization[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return await BasicAsync(value, cancellationToken).ConfigureAwait(false);
        }

        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || value.Length == 0)
        {
            return null;
        }

        return oidc is not null && LooksLikeJwt(value)
            ? await JwtAsync(value, cancellationToken).ConfigureAwait(false)
            : await TokenAsync(value, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Caller?> BasicAsync(string encoded, CancellationToken cancellationToken)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var username = decoded[..colon];
        var password = decoded[(colon + 1)..];
        var key = "b:" + username + ":" + Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(password)));
        if (Cached(key) is { } hit)
        {
            return hit;
        }

        // The use case checks a decoy hash for an unknown user, so timing does not tell who exists.
        var user = await users.AuthenticatePasswordAsync(username, password, cancellationToken).ConfigureAwait(false);
        return user is null ? null : Remember(key, new Caller(user.Username, user.IsAdmin, "basic"), null);
    }

    private async ValueTask<Caller?> TokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Keel.Application.Governance.ApiTokens.HashOf(token);
        var key = "t:" + Convert.ToHexString(hash);
        if (Cached(key) is { } hit)
        {
            return hit;
        }

        var found = await store.FindTokenAsync(hash, cancellationToken).ConfigureAwait(false);
        if (found is not { } f || !f.Token.IsActive(time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            return null;
        }

        var expires = f.Token.ExpiresAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : (DateTimeOffset?)null;
        return Remember(key, new Caller(f.User.Username, f.User.IsAdmin, "token"), expires);
    }

    private async ValueTask<Caller?> JwtAsync(string jwt, CancellationToken cancellationToken)
    {
        var key = "j:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(jwt)));
        if (Cached(key) is { } hit)
        {
            return hit;
        }

        var identity = await oidc!.ValidateAsync(jwt, cancellationToken).ConfigureAwait(false);
        if (identity is null)
        {
            return null;
        }

        // The provider vouches for the person; Keel keeps a user row so permissions and roles can name them.
        var user = await store.FindUserAsync(identity.Username, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            try
            {
                user = await store.CreateUserAsync(identity.Username, null, false, cancellationToken).ConfigureAwait(false);
            }
            catch (Keel.Core.Errors.KeelException e) when (e.Code == Keel.Core.Errors.ErrorCode.ResourceAlreadyExists)
            {
                user = await store.FindUserAsync(identity.Username, cancellationToken).ConfigureAwait(false);
            }
        }

        if (user is null)
        {
            return null;
        }

        return Remember(key, new Caller(user.Username, user.IsAdmin || identity.InAdminGroup, "oidc"), identity.ExpiresAt);
    }

    private Caller? Cached(string key)
    {
        if (cache.Credentials.TryGetValue(key, out var hit) && time.GetTimestamp() < hit.ExpiresAt)
        {
            return hit.Caller;
        }

        return null;
    }

    private Caller Remember(string key, Caller caller, DateTimeOffset? credentialExpiry)
    {
        var ttl = options.CacheTtl;
        if (credentialExpiry is { } expiry)
        {
            var left = expiry - time.GetUtcNow();
            ttl = left < ttl ? left : ttl;
        }

        if (ttl > TimeSpan.Zero)
        {
            cache.Trim(cache.Credentials);
            cache.Credentials[key] = new CachedIdentity(caller, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
        }

        return caller;
    }

    private static bool LooksLikeJwt(string value) => value.Count(c => c == '.') == 2 && !value.StartsWith("keel_", StringComparison.Ordinal);
}
