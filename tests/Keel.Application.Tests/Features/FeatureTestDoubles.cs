using System.Runtime.CompilerServices;
using Keel.Application.Features;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Tests.Features;

/// <summary>A registry in memory: the catalog as set by the test, watermarks with optimistic revisions.</summary>
internal sealed class InMemoryFeatureRegistry : IFeatureRegistry
{
    private readonly Dictionary<string, MaterializationState> _states = [];
    private FeatureCatalog _catalog = new(0, []);

    public int CatalogReads { get; private set; }

    public void Set(FeatureDefinitions defs, IReadOnlyDictionary<string, int>? versions = null)
    {
        var objects = new List<StoredFeatureObject>();
        objects.AddRange(defs.Entities.Select(e => new StoredFeatureObject(FeatureObjectKind.Entity, e.Name, 1, e, 0, 0, null)));
        objects.AddRange(defs.Sources.Select(s => new StoredFeatureObject(FeatureObjectKind.Source, s.Name, 1, s, 0, 0, null)));
        objects.AddRange(defs.Views.Select(v => new StoredFeatureObject(FeatureObjectKind.View, v.Name, versions?.GetValueOrDefault(v.Name, 1) ?? 1, v, 0, 0, null)));
        objects.AddRange(defs.OnDemandViews.Select(v => new StoredFeatureObject(FeatureObjectKind.OnDemandView, v.Name, 1, v, 0, 0, null)));
        objects.AddRange(defs.Services.Select(s => new StoredFeatureObject(FeatureObjectKind.Service, s.Name, 1, s, 0, 0, null)));
        _catalog = new FeatureCatalog(_catalog.Revision + 1, objects);
    }

    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default)
    {
        CatalogReads++;
        return Task.FromResult(_catalog);
    }

    public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) =>
        Task.FromResult(_states.GetValueOrDefault(view));

    public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        var current = _states.GetValueOrDefault(state.View);
        if ((current?.Revision ?? 0) != expectedRevision)
        {
            throw new KeelException(ErrorCode.ResourceConflict, "another run recorded first");
        }

        var stored = state with { Revision = expectedRevision + 1 };
        _states[state.View] = stored;
        return Task.FromResult(stored);
    }
}

/// <summary>A view's source as a list of rows: the latest per entity in (start, end], like the offline scanner.</summary>
internal sealed class ListRowSource : IFeatureRowSource
{
    public Dictionary<string, List<OnlineRow>> Rows { get; } = [];

    public List<(string View, DateTimeOffset? Start, DateTimeOffset End)> Scans { get; } = [];

    public async IAsyncEnumerable<IReadOnlyList<OnlineRow>> LatestRowsAsync(
        FeatureDefinitions defs, FeatureView view, DateTimeOffset? start, DateTimeOffset end, int chunkSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Scans.Add((view.Name, start, end));
        var startMs = start?.ToUnixTimeMilliseconds();
        var endMs = end.ToUnixTimeMilliseconds();
        var latest = new Dictionary<string, OnlineRow>();
        foreach (var row in Rows.GetValueOrDefault(view.Name) ?? [])
        {
            if ((startMs is null || row.EventTimestamp > startMs) && row.EventTimestamp <= endMs
                && (!latest.TryGetValue(row.EntityKey, out var kept) || row.Supersedes(kept)))
            {
                latest[row.EntityKey] = row;
            }
        }

        foreach (var chunk in latest.Values.OrderBy(r => r.EntityKey, StringComparer.Ordinal).Chunk(chunkSize))
        {
            await Task.Yield();
            yield return chunk;
        }
    }
}

/// <summary>An online store in memory with the newer-wins rule; counts writes.</summary>
internal sealed class MemoryOnlineStore : IOnlineFeatureStore
{
    private readonly Dictionary<(string, string), OnlineRow> _rows = [];

    public int RowsChanged { get; private set; }

    public List<string> Dropped { get; } = [];

    public string Description => "memory";

    public Task<string> ProbeAsync(CancellationToken cancellationToken = default) => Task.FromResult("memory");

    public Task WriteAsync(string table, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            foreach (var row in rows)
            {
                if (!_rows.TryGetValue((table, row.EntityKey), out var old) || (row.Supersedes(old) && !Same(row, old)))
                {
                    _rows[(table, row.EntityKey)] = row;
                    RowsChanged++;
                }
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask<IReadOnlyList<OnlineRow?>> ReadAsync(string table, IReadOnlyList<string> entityKeys, CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            return ValueTask.FromResult<IReadOnlyList<OnlineRow?>>([.. entityKeys.Select(k => _rows.GetValueOrDefault((table, k)))]);
        }
    }

    public Task DropAsync(string table, CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            Dropped.Add(table);
            foreach (var key in _rows.Keys.Where(k => k.Item1 == table).ToList())
            {
                _rows.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static bool Same(OnlineRow a, OnlineRow b) =>
        a.EventTimestamp == b.EventTimestamp && a.CreatedTimestamp == b.CreatedTimestamp && a.Values.SequenceEqual(b.Values);
}

/// <summary>The definitions the feature tests share: drivers with hourly stats (ttl 2h), customers (no ttl), a compound-key view.</summary>
internal static class DriverDefinitions
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static long Ms(TimeSpan offset) => (T0 + offset).ToUnixTimeMilliseconds();

    public static FeatureDefinitions Create(bool withOnDemand = true) => new(
        [new FeatureEntity("driver", ["driver_id"]), new FeatureEntity("customer", ["customer_id"]), new FeatureEntity("trip", ["driver_id", "city"])],
        [new FeatureSource("stats", "stats.parquet", "event_timestamp")],
        [
            new FeatureView("driver_hourly", ["driver"], "stats", TimeSpan.FromHours(2),
                [new FeatureField("conv_rate", FeatureDtype.Float64), new FeatureField("trips", FeatureDtype.Int64), new FeatureField("name", FeatureDtype.String), new FeatureField("active", FeatureDtype.Bool)]),
            new FeatureView("customer_profile", ["customer"], "stats", null, [new FeatureField("trips", FeatureDtype.Int64)]),
            new FeatureView("driver_city", ["trip"], "stats", TimeSpan.Zero, [new FeatureField("rides", FeatureDtype.Int64)]),
            new FeatureView("offline_only", ["driver"], "stats", null, [new FeatureField("x", FeatureDtype.Int64)], Online: false),
        ],
        withOnDemand ? [new OnDemandFeatureView("scaled", ["driver_hourly"], [], [new OnDemandFeature("double_rate", FeatureDtype.Float64, "conv_rate * 2")])] : [],
        [new FeatureService("driver_model", [new FeatureReference("driver_hourly", "conv_rate"), new FeatureReference("customer_profile", "trips")])]);
}
