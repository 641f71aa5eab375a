using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Keel.Server.Governance;

/// <summary>
/// Validates OpenID Connect bearer JWTs with Microsoft.IdentityModel: the signature against the
/// provider's published keys (fetched and refreshed by its configuration manager, so a key rotation
/// is picked up), the issuer, the audience and the lifetime.
/// </summary>
internal sealed class OidcValidator
{
    private readonly OidcOptions _options;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly IConfigurationManager<OpenIdConnectConfiguration>? _discovery;
    private readonly IConfigurationManager<JsonWebKeySet>? _jwks;

    public OidcValidator(OidcOptions options, HttpClient http)
    {
        _options = options;
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = !options.AllowHttp };
        if (options.JwksUri is { } jwks)
        {
            _jwks = new ConfigurationManager<JsonWebKeySet>(jwks.ToString(), new JwksRetriever(), retriever);
        }
        else
        {
            var discovery = options.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            _discovery = new ConfigurationManager<OpenIdConnectConfiguration>(discovery, new OpenIdConnectConfigurationRetriever(), retriever);
        }
    }

    /// <summary>The signed-in identity, or null when the token is not valid.</summary>
    public async Task<OidcIdentity?> ValidateAsync(string jwt, CancellationToken cancellationToken)
    {
        IEnumerable<SecurityKey> keys;
        try
        {
            keys = _jwks is not null
                ? (await _jwks.GetConfigurationAsync(cancellationToken).ConfigureAwait(false)).GetSigningKeys()
                : (await _discovery!.GetConfigurationAsync(cancellationToken).ConfigureAwait(false)).SigningKeys;
        }
        catch (InvalidOperationException)
        {
            // The provider cannot be reached: nobody signs in with a JWT until it can.
            return null;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = keys,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        var result = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // A key the provider rotated in since the last fetch: ask again next time.
                _jwks?.RequestRefresh();
                _discovery?.RequestRefresh();
            }

            return null;
        }

        var claims = result.Claims;
        var username = Claim(claims, _options.UsernameClaim) ?? Claim(claims, "preferred_username") ?? Claim(claims, "email") ?? Claim(claims, "sub");
        if (string.IsNullOrWhiteSpace(username))
        {
            return null;
        }

        var inAdminGroup = _options.AdminGroup is { } admin && claims.TryGetValue("groups", out var groups) && Groups(groups).Contains(admin, StringComparer.Ordinal);
        var expires = result.SecurityToken is JsonWebToken token ? new DateTimeOffset(token.ValidTo, TimeSpan.Zero) : (DateTimeOffset?)null;
        return new OidcIdentity(username, inAdminGroup, expires);
    }

    private static string? Claim(IDictionary<string, object> claims, string? name) =>
        name is not null && claims.TryGetValue(name, out var value) ? value?.ToString() : null;

    private static IEnumerable<string> Groups(object value) => value switch
    {
        string one => [one],
        IEnumerable<object> many => many.Select(g => g?.ToString() ?? string.Empty),
        _ => [],
    };

    private sealed class JwksRetriever : IConfigurationRetriever<JsonWebKeySet>
    {
        public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel) =>
            new(await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false));
    }
}

/// <summary>Who an OpenID Connect token names.</summary>
internal sealed record OidcIdentity(string Username, bool InAdminGroup, DateTimeOffset? ExpiresAt);
