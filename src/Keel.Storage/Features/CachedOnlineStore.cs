using System.Collections.Concurrent;
using Keel.Core.Features;

namespace Keel.Storage.Features;

/// <summary>A store that can tell cheaply whether anything was written, by any process, since it last asked.</summary>
public interface IOnlineChangeStamp
{
    /// <summary>A number that changes with every write to the store (by any process).</summary>
    ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// An in-memory cache in front of an online store, for the serving process: reads are served from
/// memory (misses are read through and remembered, "nothing stored" included), writes go through to
/// the store and drop the keys they wrote. Writes by other processes (a <c>keel features
/// materialize</c> run, another replica) are noticed through the store's change stamp, checked at
/// most every <see cref="RefreshInterval"/>: when it moved, the whole cache is dropped. So a value is
/// never staler than that interval (plus the time of one read) after another process committed it;
/// writes through this object are visible to its next read. Holds at most <c>maxEntries</c>
/// entries, then starts afresh.
/// </summary>
public sealed class CachedOnlineStore : IOnlineFeatureStore, IOnlineChangeStamp
{
    private readonly IOnlineFeatureStore _inner;
    private readonly IOnlineChangeStamp? _stamp;
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly ConcurrentDictionary<(string Table, string Key), OnlineRow?> _rows = new();
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private long _knownStamp = long.MinValue;
    private long _nextCheck;

    /// <param name="inner">The store.</param>
    /// <param name="refreshInterval">How often at most the store's change stamp is checked: the staleness bound for other processes' writes.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="maxEntries">Entries kept before the cache starts afresh.</param>
    public CachedOnlineStore(IOnlineFeatureStore inner, TimeSpan? refreshInterval = null, TimeProvider? timeProvider = null, int maxEntries = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _stamp = inner as IOnlineChangeStamp;
        _time = timeProvider ?? TimeProvider.System;
        RefreshInterval = refreshInterval ?? TimeSpan.FromMilliseconds(500);
        _maxEntries = maxEntries;
    }

    /// <summary>The staleness bound for writes made by other processes.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <summary>The store behind the cache.</summary>
    public IOnlineFeatureStore Inner => _inner;

    /// <inheritdoc/>
    public string Description => _inner.Description + " (cached in memory)";

    /// <inheritdoc/>
    public async Task WriteAsync(string table, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        try
        {
            await _inner.WriteAsync(table, rows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var row in rows)
            {
                _rows.TryRemove((table, row.EntityKey), out _);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OnlineRow?>> ReadAsync(string table, IReadOnlyList<string> entityKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityKeys);
        await RefreshIfDueAsync(cancellationToken).ConfigureAwait(false);
        var result = new OnlineRow?[entityKeys.Count];
        List<int>? missing = null;
        for (var i = 0; i < entityKeys.Count; i++)
        {
            if (_rows.TryGetValue((table, entityKeys[i]), out var row))
            {
                result[i] = row;
            }
            else
            {
                (missing ??= []).Add(i);
            }
        }

        if (missing is null)
        {
            return result;
        }

        var keys = missing.Select(i => entityKeys[i]).ToArray();
        var stampBefore = Volatile.Read(ref _knownStamp);
        var read = await _inner.ReadAsync(table, keys, cancellationToken).ConfigureAwait(false);
        if (_rows.Count + keys.Length > _maxEntries)
        {
            _rows.Clear();
        }

        var remember = Volatile.Read(ref _knownStamp) == stampBefore;
        for (var j = 0; j < missing.Count; j++)
        {
            result[missing[j]] = read[j];
            if (remember)
            {
                // A write through this object between the read and here removed the key; TryAdd never overwrites a fresher entry.
                _rows.TryAdd((table, keys[j]), read[j]);
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task DropAsync(string table, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.DropAsync(table, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var key in _rows.Keys)
            {
                if (key.Table == table)
                {
                    _rows.TryRemove(key, out _);
                }
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken = default) =>
        _stamp?.GetChangeStampAsync(cancellationToken) ?? ValueTask.FromResult(0L);

    /// <summary>Drops every cached entry (the next reads go to the store).</summary>
    public void Clear() => _rows.Clear();

    /// <inheritdoc/>
    public Task<string> ProbeAsync(CancellationToken cancellationToken = default) => _inner.ProbeAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private async ValueTask RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (_stamp is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextCheck))
        {
            return;
        }

        // One caller checks; the others serve from memory meanwhile (at most one interval stale).
        if (!_refreshLock.Wait(0, CancellationToken.None))
        {
            return;
        }

        try
        {
            var stamp = await _stamp.GetChangeStampAsync(cancellationToken).ConfigureAwait(false);
            if (stamp != _knownStamp)
            {
                _rows.Clear();
                Volatile.Write(ref _knownStamp, stamp);
            }

            Volatile.Write(ref _nextCheck, _time.GetTimestamp() + (long)(RefreshInterval.TotalSeconds * _time.TimestampFrequency));
        }
        finally
        {
            _refreshLock.Release();
        }
    }
}
