using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>Reads <see cref="AuthOptions"/> from <c>keel server</c>'s flag and the environment, checking each value and naming the variable when one is wrong.</summary>
public static class AuthSettings
{
    /// <summary>The settings: on when <paramref name="authFlag"/> (<c>--auth</c>) or KEEL_AUTH is true, or when an OIDC issuer is configured.</summary>
    public static AuthOptions FromEnvironment(bool authFlag, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => read(name) is { Length: > 0 } value ? value.Trim() : null;

        var enabled = authFlag || Bool(Get("KEEL_AUTH"), "KEEL_AUTH");
        var options = new AuthOptions
        {
            AdminUsername = Get("KEEL_ADMIN_USERNAME"),
            AdminPassword = read("KEEL_ADMIN_PASSWORD") is { Length: > 0 } password ? password : null,
        };
        if (Get("KEEL_AUTH_DEFAULT_PERMISSION") is { } permission)
        {
            options = options with
            {
                DefaultPermission = PermissionLevels.TryParse(permission, out var level)
                    ? level.Value
                    : throw KeelException.InvalidParameter($"KEEL_AUTH_DEFAULT_PERMISSION must be one of {string.Join(", ", PermissionLevels.Names)}, got '{permission}'."),
            };
        }

        if (Get("KEEL_AUTH_DEFAULT_ROLE") is { } role)
        {
            options = options with
            {
                DefaultRole = Enum.TryParse<EnvironmentRole>(role, ignoreCase: true, out var parsed) && role.All(char.IsAsciiLetter)
                    ? parsed
                    : throw KeelException.InvalidParameter($"KEEL_AUTH_DEFAULT_ROLE must be one of none, viewer, editor, deployer, admin, got '{role}'."),
            };
        }

        if (Get("KEEL_AUTH_CACHE_SECONDS") is { } seconds)
        {
            options = options with
            {
                CacheTtl = double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 86400
                    ? TimeSpan.FromSeconds(s)
                    : throw KeelException.InvalidParameter($"KEEL_AUTH_CACHE_SECONDS must be a number of seconds from 0 to 86400, got '{seconds}'."),
            };
        }

        if (Get("KEEL_OIDC_ISSUER") is { } issuer)
        {
            var audience = Get("KEEL_OIDC_AUDIENCE") ?? throw KeelException.InvalidParameter("KEEL_OIDC_AUDIENCE must be set with KEEL_OIDC_ISSUER: the audience (aud) Keel's tokens are issued for.");
            var allowHttp = Bool(Get("KEEL_OIDC_ALLOW_HTTP"), "KEEL_OIDC_ALLOW_HTTP");
            CheckUrl(issuer, "KEEL_OIDC_ISSUER", allowHttp);
            Uri? jwks = null;
            if (Get("KEEL_OIDC_JWKS_URI") is { } jwksText)
            {
                jwks = CheckUrl(jwksText, "KEEL_OIDC_JWKS_URI", allowHttp);
            }

            options = options with
            {
                Oidc = new OidcOptions
                {
                    Issuer = issuer,
                    Audience = audience,
                    JwksUri = jwks,
                    UsernameClaim = Get("KEEL_OIDC_USERNAME_CLAIM"),
                    AdminGroup = Get("KEEL_OIDC_ADMIN_GROUP"),
                    AllowHttp = allowHttp,
                },
            };
            enabled = true;
        }

        return options with { Enabled = enabled };
    }

    private static bool Bool(string? value, string name) => value?.ToLowerInvariant() switch
    {
        null => false,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw KeelException.InvalidParameter($"{name} must be true or false, got '{value}'."),
    };

    private static Uri CheckUrl(string value, string name, bool allowHttp)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw KeelException.InvalidParameter($"{name} must be an https URL{(allowHttp ? " (or http)" : string.Empty)}, got '{value}'.");
        }

        return uri;
    }
}
