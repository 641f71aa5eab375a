using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Storage.Features;
using StackExchange.Redis;

namespace Keel.Storage.Redis;

/// <summary>
/// The online store on Redis: one hash per (view table, entity) at <c>{prefix}{table}:{entityKey}</c>
/// with fields <c>e</c> (event time, Unix ms), <c>c</c> (created time) and <c>v</c> (the values,
/// <see cref="OnlineRowCodec"/>). Writes run a Lua script that replaces the hash only when the new
/// row is newer by (event time, created time), many rows per script call and several calls in
/// flight, so a re-run changes nothing and order does not matter. A read of many keys is one
/// pipelined round trip of HMGETs. Every write also bumps <c>{prefix}__changes</c>, which
/// <see cref="CachedOnlineStore"/> polls.
/// </summary>
public sealed class RedisOnlineStore : IOnlineFeatureStore, IOnlineChangeStamp
{
    /// <summary>The default key prefix.</summary>
    public const string DefaultPrefix = "keel:fs:";

    private const int RowsPerScript = 256;

    // KEYS: the row keys; ARGV: per key event, created, value. Returns how many rows were written.
    private const string WriteScript = """
        local written = 0
        for i, key in ipairs(KEYS) do
          local base = (i - 1) * 3
          local e = tonumber(ARGV[base + 1])
          local c = tonumber(ARGV[base + 2])
          local old = redis.call('HMGET', key, 'e', 'c')
          local oe = tonumber(old[1])
          if (not oe) or e > oe or (e == oe and c >= tonumber(old[2])) then
            redis.call('HSET', key, 'e', ARGV[base + 1], 'c', ARGV[base + 2], 'v', ARGV[base + 3])
            written = written + 1
          end
        end
        return written
        """;

    private static readonly RedisValue[] Fields = ["e", "c", "v"];
    private readonly ConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly string _prefix;
    private readonly string _description;
    private readonly RedisKey _changesKey;
    private byte[]? _scriptSha;

    private RedisOnlineStore(ConnectionMultiplexer connection, int database, string prefix, string description)
    {
        _connection = connection;
        _database = database;
        _prefix = prefix;
        _description = description;
        _changesKey = prefix + "__changes";
    }

    /// <inheritdoc/>
    public string Description => _description;

    /// <summary>Connects to Redis.</summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">Port.</param>
    /// <param name="database">Database number.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="prefix">Key prefix.</param>
    /// <param name="user">ACL user name, or null.</param>
    /// <exception cref="KeelException">TEMPORARILY_UNAVAILABLE when Redis cannot be reached.</exception>
    public static async Task<RedisOnlineStore> ConnectAsync(string host, int port, int database = 0, string? password = null, string prefix = DefaultPrefix, string? user = null)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            SyncTimeout = 10000,
            AsyncTimeout = 10000,
            Password = password,
            User = user,
            DefaultDatabase = database,
            ClientName = "keel-online",
        };
        options.EndPoints.Add(host, port);
        var description = $"redis://{host}:{port.ToString(CultureInfo.InvariantCulture)}/{database.ToString(CultureInfo.InvariantCulture)} (prefix {prefix})";
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            return new RedisOnlineStore(connection, database, prefix, description);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Cannot reach the online store {description}: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async Task WriteAsync(string table, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var db = _connection.GetDatabase(_database);
        var sha = await ScriptShaAsync().ConfigureAwait(false);
        var calls = new List<Task<RedisResult>>((rows.Count / RowsPerScript) + 1);
        var batch = db.CreateBatch();
        for (var start = 0; start < rows.Count; start += RowsPerScript)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(RowsPerScript, rows.Count - start);
            var keys = new RedisKey[count];
            var args = new RedisValue[count * 3];
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                keys[i] = Key(table, row.EntityKey);
                args[i * 3] = row.EventTimestamp;
                args[(i * 3) + 1] = row.CreatedTimestamp;
                args[(i * 3) + 2] = OnlineRowCodec.Encode(row.Values);
            }

            calls.Add(batch.ScriptEvaluateAsync(sha, keys, args));
        }

        var bump = batch.StringIncrementAsync(_changesKey);
        batch.Execute();
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
            await bump.ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // Redis restarted or was flushed: load the script again and write once more (idempotent).
            _scriptSha = null;
            await WriteAsync(table, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Writing to the online store {_description} failed: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OnlineRow?>> ReadAsync(string table, IReadOnlyList<string> entityKeys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(entityKeys);
        var db = _connection.GetDatabase(_database);
        try
        {
            if (entityKeys.Count == 1)
            {
                return [ToRow(entityKeys[0], await db.HashGetAsync(Key(table, entityKeys[0]), Fields).ConfigureAwait(false))];
            }

            var batch = db.CreateBatch();
            var reads = new Task<RedisValue[]>[entityKeys.Count];
            for (var i = 0; i < entityKeys.Count; i++)
            {
                reads[i] = batch.HashGetAsync(Key(table, entityKeys[i]), Fields);
            }

            batch.Execute();
            await Task.WhenAll(reads).ConfigureAwait(false);
            var result = new OnlineRow?[entityKeys.Count];
            for (var i = 0; i < entityKeys.Count; i++)
            {
                result[i] = ToRow(entityKeys[i], reads[i].Result);
            }

            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Reading the online store {_description} failed: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async Task DropAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        var db = _connection.GetDatabase(_database);
        var pattern = EscapeGlob(_prefix + table + ":") + "*";
        try
        {
            foreach (var endpoint in _connection.GetEndPoints())
            {
                var server = _connection.GetServer(endpoint);
                if (server.IsReplica)
                {
                    continue;
                }

                var keys = new List<RedisKey>(1000);
                await foreach (var key in server.KeysAsync(_database, pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(key);
                    if (keys.Count == 1000)
                    {
                        await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
                        keys.Clear();
                    }
                }

                if (keys.Count > 0)
                {
                    await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
                }
            }

            await db.StringIncrementAsync(_changesKey).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Dropping {table} from the online store {_description} failed: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken = default)
    {
        var value = await _connection.GetDatabase(_database).StringGetAsync(_changesKey).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <inheritdoc/>
    public async Task<string> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.GetDatabase(_database).PingAsync().ConfigureAwait(false);
            var version = _connection.GetServers().FirstOrDefault(s => s.IsConnected)?.Version;
            return version is null ? "Redis" : "Redis " + version.ToString();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"The online store {_description} does not answer: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);

    private static OnlineRow? ToRow(string entityKey, RedisValue[] values)
    {
        if (values.Length < 3 || values[0].IsNull || values[2].IsNull)
        {
            return null;
        }

        return new OnlineRow(entityKey, (long)values[0], (long)values[1], OnlineRowCodec.Decode((byte[])values[2]!));
    }

    private static string EscapeGlob(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }

    private RedisKey Key(string table, string entityKey) => _prefix + table + ":" + entityKey;

    private async ValueTask<byte[]> ScriptShaAsync()
    {
        if (_scriptSha is { } sha)
        {
            return sha;
        }

        byte[]? loaded = null;
        foreach (var endpoint in _connection.GetEndPoints())
        {
            loaded = await _connection.GetServer(endpoint).ScriptLoadAsync(WriteScript).ConfigureAwait(false);
        }

        _scriptSha = loaded ?? throw new KeelException(ErrorCode.TemporarilyUnavailable, $"The online store {_description} has no server to load its write script on.");
        return _scriptSha;
    }
}
