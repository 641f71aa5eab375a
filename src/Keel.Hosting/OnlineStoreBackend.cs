using System.Globalization;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Storage.Features;
using Keel.Storage.Redis;
using Keel.Storage.Sqlite.Features;

namespace Keel.Hosting;

/// <summary>
/// Turns <c>--online-store URI</c> (else <c>KEEL_ONLINE_STORE</c>) into the online feature store:
/// nothing for the embedded default (<c>online.db</c> in the data directory), <c>sqlite:///path</c>
/// for another SQLite file, <c>redis://[user:password@]host:port[/db][?prefix=keel:fs:]</c> for
/// Redis (the password from the URI or <c>KEEL_REDIS_PASSWORD</c>; never shown in messages).
/// </summary>
public static class OnlineStoreBackend
{
    /// <summary>The option the URI comes from, for messages.</summary>
    public const string Option = "--online-store";

    /// <summary>The embedded store's file in a data directory.</summary>
    /// <param name="dataDir">An absolute data directory.</param>
    public static string DefaultPath(string dataDir) => Path.Combine(dataDir, "online.db");

    /// <summary>Opens the store: <paramref name="uri"/>, else <c>KEEL_ONLINE_STORE</c>, else the data directory's <c>online.db</c>.</summary>
    /// <param name="uri">The option's value; null for the environment or the default.</param>
    /// <param name="dataDir">The data directory.</param>
    /// <param name="cached">Wrap it in the serving process's in-memory cache.</param>
    /// <param name="refreshInterval">The cache's staleness bound for other processes' writes.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option and what it accepts; TEMPORARILY_UNAVAILABLE when unreachable.</exception>
    public static async Task<IOnlineFeatureStore> OpenAsync(string? uri, string dataDir, bool cached = false, TimeSpan? refreshInterval = null)
    {
        var store = await OpenRawAsync(uri ?? KeelEnvironment.Text(KeelEnvironment.OnlineStore), dataDir).ConfigureAwait(false);
        return cached ? new CachedOnlineStore(store, refreshInterval) : store;
    }

    private static async Task<IOnlineFeatureStore> OpenRawAsync(string? uri, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return SqliteOnlineStore.Open(DefaultPath(dataDir));
        }

        var value = uri.Trim();
        if (value.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            var path = Uri.UnescapeDataString(value["sqlite://".Length..]);
            if (path.Length > 1 && !path.Any(char.IsControl))
            {
                return SqliteOnlineStore.Open(path);
            }
        }
        else if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(value, UriKind.Absolute, out var parsed) && parsed.Host.Length > 0)
        {
            var port = parsed.IsDefaultPort || parsed.Port <= 0 ? 6379 : parsed.Port;
            var database = 0;
            var dbText = parsed.AbsolutePath.Trim('/');
            if (dbText.Length > 0 && !int.TryParse(dbText, NumberStyles.None, CultureInfo.InvariantCulture, out database))
            {
                throw KeelException.InvalidParameter($"Unsupported online store ({Option}): the Redis database after the port must be a number, e.g. redis://localhost:6379/0.");
            }

            string? user = null;
            string? password = null;
            if (parsed.UserInfo.Length > 0)
            {
                var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    password = Uri.UnescapeDataString(parsed.UserInfo);
                }
                else
                {
                    user = colon == 0 ? null : Uri.UnescapeDataString(parsed.UserInfo[..colon]);
                    password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
                }
            }

            password ??= KeelEnvironment.Text(KeelEnvironment.RedisPassword);
            var prefix = RedisOnlineStore.DefaultPrefix;
            foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && pair[..eq] == "prefix")
                {
                    prefix = Uri.UnescapeDataString(pair[(eq + 1)..]);
                }
            }

            return await RedisOnlineStore.ConnectAsync(parsed.Host, port, database, string.IsNullOrEmpty(password) ? null : password, prefix, user).ConfigureAwait(false);
        }

        throw KeelException.InvalidParameter(
            $"Unsupported online store ({Option}): expected sqlite:///<absolute path> (an SQLite file) or redis://[user:password@]host:port[/db][?prefix=...]; "
            + "leave it unset for online.db in the data directory.");
    }
}
