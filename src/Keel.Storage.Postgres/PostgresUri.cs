using System.Globalization;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// Backend store URIs as MLflow users write them, turned into Npgsql connection settings:
/// <c>postgresql://user:password@host:port/database?sslmode=require</c>, also spelled
/// <c>postgres://</c> or with SQLAlchemy's driver suffix (<c>postgresql+psycopg2://</c>). User and
/// password are percent-decoded; the port defaults to 5432 and the database to the user name, as
/// libpq does. Query keys: <c>sslmode</c>, <c>application_name</c>, <c>connect_timeout</c> (seconds),
/// <c>host</c> (a Unix socket directory, libpq style), <c>search_path</c> (the schema Keel's tables
/// live in; created on open when missing) and <c>max_pool_size</c> (connections each store's pool
/// may hold open; Npgsql's default is 100). Any other key is refused with its name.
/// </summary>
public static class PostgresUri
{
    private const string DefaultOption = "--backend-store-uri";

    /// <summary>True for the schemes this backend serves.</summary>
    /// <param name="uri">A backend store URI.</param>
    public static bool IsPostgres(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var colon = uri.IndexOf("://", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var scheme = uri[..colon].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var dialect = plus < 0 ? scheme : scheme[..plus];
        return dialect is "postgresql" or "postgres";
    }

    /// <summary>The Npgsql connection settings a URI names.</summary>
    /// <param name="uri">A <c>postgresql://</c> URI.</param>
    /// <param name="option">Where the URI came from, named in messages.</param>
    /// <exception cref="ArgumentException">The URI is malformed or uses an unknown query key; the message names the option and the rule, never the password.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string uri, string option = DefaultOption)
    {
        if (!IsPostgres(uri))
        {
            throw Invalid(uri, option, "expected postgresql://user:password@host:port/database");
        }

        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = string.Empty;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? string.Empty : Uri.UnescapeDataString(rest[(slash + 1)..]);
        string? user = null;
        string? password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? credentials : credentials[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(credentials[(colon + 1)..]);
        }

        var (host, port) = HostAndPort(uri, option, authority);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Username = string.IsNullOrEmpty(user) ? null : user,
            Password = password,
            Database = database.Length > 0 ? database : (string.IsNullOrEmpty(user) ? null : user),
        };

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            Apply(uri, option, builder, key, value);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw Invalid(uri, option, "it names no host (write postgresql://user@host:port/database, or ?host=/socket/dir)");
        }

        return builder;
    }

    /// <summary>The URI with its password replaced by <c>***</c>, for messages and logs.</summary>
    /// <param name="uri">A backend store URI.</param>
    public static string Redact(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return uri;
        }

        var authorityEnd = uri.IndexOfAny(['/', '?'], start + 3);
        var authority = authorityEnd < 0 ? uri[(start + 3)..] : uri[(start + 3)..authorityEnd];
        var at = authority.LastIndexOf('@');
        var colon = at < 0 ? -1 : authority.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon > at)
        {
            return uri;
        }

        return uri[..(start + 3)] + authority[..(colon + 1)] + "***" + authority[at..] + (authorityEnd < 0 ? string.Empty : uri[authorityEnd..]);
    }

    private static (string Host, int Port) HostAndPort(string uri, string option, string authority)
    {
        string host;
        var portText = string.Empty;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid(uri, option, "an IPv6 host must be written in brackets, e.g. [::1]:5432");
            }

            host = authority[1..close];
            portText = authority[(close + 1)..].TrimStart(':');
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? string.Empty : authority[(colon + 1)..];
        }

        if (portText.Length == 0)
        {
            return (Uri.UnescapeDataString(host), 5432);
        }

        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? (Uri.UnescapeDataString(host), port)
            : throw Invalid(uri, option, $"the port '{portText}' is not a number from 1 to 65535");
    }

    private static void Apply(string uri, string option, NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Invalid(uri, option, $"sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full (got '{value}')"),
                };
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 1024
                    ? seconds
                    : throw Invalid(uri, option, $"connect_timeout must be a whole number of seconds from 1 to 1024 (got '{value}')");
                break;
            case "host":
                builder.Host = value;
                break;
            case "search_path":
                builder.SearchPath = value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
                    ? value
                    : throw Invalid(uri, option, $"search_path must be one schema name of letters, digits and underscores (got '{value}')");
                break;
            case "max_pool_size":
                builder.MaxPoolSize = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= 1000
                    ? size
                    : throw Invalid(uri, option, $"max_pool_size must be a whole number of connections from 1 to 1000 (got '{value}')");
                break;
            default:
                throw Invalid(uri, option, $"unknown query parameter '{key}' (supported: sslmode, application_name, connect_timeout, host, search_path, max_pool_size)");
        }
    }

    private static ArgumentException Invalid(string uri, string option, string rule) =>
        new($"Invalid backend store URI '{Redact(uri)}' ({option}): {rule}.", nameof(uri));
}
