using System.Collections.Concurrent;
using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>One requested feature resolved against the catalog.</summary>
/// <param name="Reference">The <c>view:feature</c> reference.</param>
/// <param name="Name">Its column name in the answer: the feature's name, or <c>view__feature</c> with full feature names.</param>
/// <param name="Dtype">Its type.</param>
public sealed record OnlineFeatureColumn(FeatureReference Reference, string Name, FeatureDtype Dtype);

/// <summary>
/// What an online read answers, column by column as Feast's get-online-features does: per
/// requested feature, one value, status and event time per entity row, in the order of the rows.
/// </summary>
/// <param name="Columns">The requested features, in the order asked.</param>
/// <param name="Values">Values[feature][row]: long, double, string, bool or null (<see cref="FeatureValues"/>).</param>
/// <param name="Statuses">Statuses[feature][row].</param>
/// <param name="EventTimestamps">EventTimestamps[feature][row]: the stored row's event time, Unix ms; 0 when nothing was found.</param>
/// <param name="JoinKeys">The join keys the rows were given by, in the order of the request.</param>
/// <param name="RowCount">Entity rows.</param>
public sealed record OnlineFeatureResult(
    IReadOnlyList<OnlineFeatureColumn> Columns,
    object?[][] Values,
    OnlineValueStatus[][] Statuses,
    long[][] EventTimestamps,
    IReadOnlyList<string> JoinKeys,
    int RowCount);

/// <summary>
/// Online feature reads with the same TTL rule as offline retrieval. For each entity row and view,
/// the online store's latest row of the entity (in the view's current version) is looked up, and
/// judged at the read time <c>now</c>:
/// <list type="bullet">
/// <item>nothing stored → NOT_FOUND;</item>
/// <item>stored with an event time after now → NOT_FOUND (offline at entity_ts = now would not see a
/// future row, and the store keeps only the latest row, so no earlier one can be served);</item>
/// <item>the view has a TTL and now − event time &gt; TTL → EXPIRED, value null;</item>
/// <item>else the value: NULL_VALUE when it is null, PRESENT otherwise.</item>
/// </list>
/// The catalog is cached and re-read at most every <see cref="CatalogRefresh"/>; resolved feature
/// lists are cached per catalog revision, so a read costs one store lookup per view.
/// </summary>
public sealed class OnlineFeatureService
{
    /// <summary>The most entity rows one read takes.</summary>
    public const int MaxRows = 100_000;

    private readonly IFeatureRegistry _registry;
    private readonly IOnlineFeatureStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _catalogLock = new(1, 1);
    private readonly ConcurrentDictionary<string, Plan> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Keel.Compute.Features.OnDemandPlan?> _onDemandPlans = new(StringComparer.Ordinal);
    private volatile CatalogSnapshot? _catalog;

    /// <param name="registry">The feature registry.</param>
    /// <param name="store">The online store.</param>
    /// <param name="timeProvider">The clock (now).</param>
    /// <param name="catalogRefresh">How often at most the catalog is re-read (default one second).</param>
    public OnlineFeatureService(IFeatureRegistry registry, IOnlineFeatureStore store, TimeProvider? timeProvider = null, TimeSpan? catalogRefresh = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        _registry = registry;
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        CatalogRefresh = catalogRefresh ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>How often at most the catalog is re-read: definitions applied elsewhere are seen within it.</summary>
    public TimeSpan CatalogRefresh { get; }

    /// <summary>The online store read.</summary>
    public IOnlineFeatureStore Store => _store;

    /// <summary>
    /// Reads features for entity rows given as columns (Feast's request shape: <c>{join_key: [v1, v2, ...]}</c>).
    /// </summary>
    /// <param name="features"><c>view:feature</c> references; null or empty when <paramref name="featureService"/> names them.</param>
    /// <param name="featureService">A feature service name, instead of <paramref name="features"/>.</param>
    /// <param name="entities">Join key → one value per entity row (long, double, string or bool); every list of one length.</param>
    /// <param name="fullFeatureNames">Name columns <c>view__feature</c> instead of <c>feature</c>.</param>
    /// <param name="at">The read time (tests and in-process callers); null: now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the field: unknown view, feature or service, a missing join key or request field, lists of different lengths.</exception>
    public async ValueTask<OnlineFeatureResult> GetOnlineFeaturesAsync(
        IReadOnlyList<string>? features,
        string? featureService,
        IReadOnlyDictionary<string, IReadOnlyList<object?>> entities,
        bool fullFeatureNames = false,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (await OnDemandPlanAsync(features, featureService, fullFeatureNames, cancellationToken).ConfigureAwait(false) is { } onDemand)
        {
            return await ReadOnDemandAsync(onDemand, entities, at, cancellationToken).ConfigureAwait(false);
        }

        var plan = await ResolveAsync(features, featureService, fullFeatureNames, cancellationToken).ConfigureAwait(false);
        var rows = CheckEntities(entities, plan);
        return await ReadAsync(plan, entities, rows, at ?? _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads features for entity rows given row by row (join key → value per row), for the serving path.</summary>
    /// <param name="features"><c>view:feature</c> references; null or empty when <paramref name="featureService"/> names them.</param>
    /// <param name="featureService">A feature service name, instead of <paramref name="features"/>.</param>
    /// <param name="rows">The entity rows.</param>
    /// <param name="fullFeatureNames">Name columns <c>view__feature</c>.</param>
    /// <param name="at">The read time; null: now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public ValueTask<OnlineFeatureResult> GetOnlineFeaturesAsync(
        IReadOnlyList<string>? features,
        string? featureService,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows,
        bool fullFeatureNames = false,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        var keys = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            var values = new object?[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                if (!rows[i].TryGetValue(key, out values[i]))
                {
                    throw KeelException.InvalidParameter($"Entity row {i.ToString(CultureInfo.InvariantCulture)} has no value for the join key '{key}' (field entities.{key}): every row needs every join key.");
                }
            }

            columns[key] = values;
        }

        return GetOnlineFeaturesAsync(features, featureService, columns, fullFeatureNames, at, cancellationToken);
    }

    /// <summary>The catalog as this service sees it (re-read at most every <see cref="CatalogRefresh"/>).</summary>
    public async ValueTask<FeatureCatalog> CatalogAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken).ConfigureAwait(false)).Catalog;

    // A request naming on-demand features reads the plain features they need (with full names, so
    // none collide), then computes them per row with the same plan offline retrieval uses.
    private async ValueTask<Keel.Compute.Features.OnDemandPlan?> OnDemandPlanAsync(IReadOnlyList<string>? features, string? featureService, bool fullFeatureNames, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Definitions.OnDemandViews.Count == 0)
        {
            return null;
        }

        var cacheKey = snapshot.Catalog.Revision.ToString(CultureInfo.InvariantCulture) + (fullFeatureNames ? "|f|" : "|s|")
            + (string.IsNullOrWhiteSpace(featureService) ? string.Join('\n', features ?? []) : "svc:" + featureService);
        if (_onDemandPlans.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        List<FeatureReference> refs = [];
        if (!string.IsNullOrWhiteSpace(featureService))
        {
            if (snapshot.Definitions.FindService(featureService.Trim()) is { } service)
            {
                refs.AddRange(service.Features);
            }
        }
        else
        {
            foreach (var text in features ?? [])
            {
                if (FeatureReference.TryParse(text) is { } parsed)
                {
                    refs.Add(parsed);
                }
            }
        }

        // Without an on-demand feature (or with malformed input, which the plain path reports), the plain path answers.
        var plan = refs.Any(r => snapshot.Definitions.FindOnDemandView(r.View) is not null)
            ? Keel.Compute.Features.OnDemandPlan.Build(snapshot.Definitions, refs, fullFeatureNames)
            : null;
        if (_onDemandPlans.Count > 10_000)
        {
            _onDemandPlans.Clear();
        }

        _onDemandPlans[cacheKey] = plan;
        return plan;
    }

    private async ValueTask<OnlineFeatureResult> ReadOnDemandAsync(Keel.Compute.Features.OnDemandPlan plan, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        foreach (var field in plan.RequestFields)
        {
            if (!entities.ContainsKey(field))
            {
                throw KeelException.InvalidParameter($"entities.{field} is missing: an on-demand feature asked for computes from the request field '{field}'.");
            }
        }

        OnlineFeatureResult? inner = plan.InnerReferences.Count == 0
            ? null
            : await GetOnlineFeaturesAsync([.. plan.InnerReferences.Select(r => r.ToString())], null, entities, fullFeatureNames: true, at, cancellationToken).ConfigureAwait(false);
        var rowCount = inner?.RowCount ?? (entities.Count == 0 ? 1 : entities.First().Value.Count);
        var count = plan.Outputs.Count;
        var values = new object?[count][];
        var statuses = new OnlineValueStatus[count][];
        var times = new long[count][];
        var computed = new object?[rowCount][][];
        for (var r = 0; r < rowCount; r++)
        {
            var row = r;
            computed[r] = plan.Evaluate(i => inner!.Statuses[i][row] is OnlineValueStatus.Present ? inner.Values[i][row] : null, f => entities[f][row]);
        }

        for (var c = 0; c < count; c++)
        {
            var output = plan.Outputs[c];
            if (output.Inner >= 0)
            {
                values[c] = inner!.Values[output.Inner];
                statuses[c] = inner.Statuses[output.Inner];
                times[c] = inner.EventTimestamps[output.Inner];
                continue;
            }

            values[c] = new object?[rowCount];
            statuses[c] = new OnlineValueStatus[rowCount];
            times[c] = new long[rowCount];
            for (var r = 0; r < rowCount; r++)
            {
                var value = computed[r][output.Evaluator][output.Feature];
                values[c][r] = value;
                statuses[c][r] = value is null ? OnlineValueStatus.NullValue : OnlineValueStatus.Present;
            }
        }

        return new OnlineFeatureResult(
            [.. plan.Outputs.Select(o => new OnlineFeatureColumn(o.Reference, o.Name, o.Dtype))], values, statuses, times, inner?.JoinKeys ?? [], rowCount);
    }

    private async ValueTask<Plan> ResolveAsync(IReadOnlyList<string>? features, string? featureService, bool fullFeatureNames, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var hasFeatures = features is { Count: > 0 };
        var hasService = !string.IsNullOrWhiteSpace(featureService);
        if (hasFeatures == hasService)
        {
            throw KeelException.InvalidParameter("Give either 'features' (a list of view:feature) or 'feature_service' (a feature service name), not both and not neither.");
        }

        var cacheKey = snapshot.Catalog.Revision.ToString(CultureInfo.InvariantCulture) + (fullFeatureNames ? "|f|" : "|s|")
            + (hasService ? "svc:" + featureService : string.Join('\n', features!));
        if (_plans.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var plan = BuildPlan(snapshot, features, featureService, fullFeatureNames);
        if (_plans.Count > 10_000)
        {
            _plans.Clear();
        }

        _plans[cacheKey] = plan;
        return plan;
    }

    private static Plan BuildPlan(CatalogSnapshot snapshot, IReadOnlyList<string>? features, string? featureService, bool fullFeatureNames)
    {
        var defs = snapshot.Definitions;
        List<(FeatureReference Ref, string Field)> refs = [];
        if (!string.IsNullOrWhiteSpace(featureService))
        {
            var service = defs.FindService(featureService.Trim())
                ?? throw KeelException.InvalidParameter($"Unknown feature service '{featureService}' (field feature_service): apply it first (keel features apply).");
            for (var i = 0; i < service.Features.Count; i++)
            {
                refs.Add((service.Features[i], $"feature_service '{service.Name}' feature {service.Features[i]}"));
            }
        }
        else
        {
            for (var i = 0; i < features!.Count; i++)
            {
                var field = $"features[{i.ToString(CultureInfo.InvariantCulture)}]";
                var parsed = FeatureReference.TryParse(features[i])
                    ?? throw KeelException.InvalidParameter($"'{features[i]}' ({field}) is not a feature reference: expected view:feature.");
                refs.Add((parsed, field));
            }
        }

        var columns = new List<OnlineFeatureColumn>(refs.Count);
        var views = new List<ViewRead>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < refs.Count; c++)
        {
            var (reference, field) = refs[c];
            var view = defs.FindView(reference.View);
            if (view is null)
            {
                throw KeelException.InvalidParameter($"Unknown feature view '{reference.View}' in '{reference}' ({field}).");
            }

            var index = -1;
            for (var f = 0; f < view.Features.Count; f++)
            {
                if (view.Features[f].Name == reference.Feature)
                {
                    index = f;
                    break;
                }
            }

            if (index < 0)
            {
                throw KeelException.InvalidParameter($"Feature view '{view.Name}' has no feature '{reference.Feature}' ({field}); it has: {string.Join(", ", view.Features.Select(f => f.Name))}.");
            }

            var name = fullFeatureNames ? reference.FullName : reference.Feature;
            if (!names.Add(name))
            {
                throw KeelException.InvalidParameter(fullFeatureNames
                    ? $"'{reference}' ({field}) is asked for twice."
                    : $"Two requested features are named '{name}' ({field}): set full_feature_names to tell them apart (view__feature).");
            }

            columns.Add(new OnlineFeatureColumn(reference, name, view.Features[index].Dtype));
            var read = views.FirstOrDefault(v => v.View.Name == view.Name);
            if (read is null)
            {
                var version = snapshot.Catalog.Find(FeatureObjectKind.View, view.Name)?.Version ?? 1;
                read = new ViewRead(view, EntityKeys.Table(view.Name, version), defs.JoinKeysOf(view), view.Unbounded ? 0 : (long)view.Ttl!.Value.TotalMilliseconds);
                views.Add(read);
            }

            read.Columns.Add((c, index));
        }

        var joinKeys = views.SelectMany(v => v.JoinKeys).Distinct(StringComparer.Ordinal).ToList();
        return new Plan(columns, views, joinKeys);
    }

    private static int CheckEntities(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, Plan plan)
    {
        int? rows = null;
        string? first = null;
        foreach (var (key, values) in entities)
        {
            if (values is null)
            {
                throw KeelException.InvalidParameter($"entities.{key} must be a list of values, one per entity row.");
            }

            if (rows is null)
            {
                rows = values.Count;
                first = key;
            }
            else if (values.Count != rows)
            {
                throw KeelException.InvalidParameter(
                    $"entities.{key} has {values.Count.ToString(CultureInfo.InvariantCulture)} values but entities.{first} has {rows.Value.ToString(CultureInfo.InvariantCulture)}: every join key needs one value per entity row.");
            }
        }

        foreach (var view in plan.Views)
        {
            foreach (var joinKey in view.JoinKeys)
            {
                if (!entities.ContainsKey(joinKey))
                {
                    throw KeelException.InvalidParameter($"entities.{joinKey} is missing: feature view '{view.View.Name}' is found by the join keys {string.Join(", ", view.JoinKeys)}.");
                }
            }
        }

        if (rows is null && plan.Views.Any(v => v.JoinKeys.Count > 0))
        {
            throw KeelException.InvalidParameter("entities is missing: give each join key's values, e.g. {\"driver_id\": [1001, 1002]}.");
        }

        var count = rows ?? 1;
        if (count > MaxRows)
        {
            throw KeelException.InvalidParameter($"entities has {count.ToString(CultureInfo.InvariantCulture)} rows; at most {MaxRows.ToString(CultureInfo.InvariantCulture)} per read.");
        }

        return count;
    }

    private async ValueTask<OnlineFeatureResult> ReadAsync(Plan plan, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rowCount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var columnCount = plan.Columns.Count;
        var values = new object?[columnCount][];
        var statuses = new OnlineValueStatus[columnCount][];
        var times = new long[columnCount][];
        for (var c = 0; c < columnCount; c++)
        {
            values[c] = new object?[rowCount];
            statuses[c] = new OnlineValueStatus[rowCount];
            times[c] = new long[rowCount];
        }

        foreach (var view in plan.Views)
        {
            var keys = new string[rowCount];
            var keyValues = new object?[view.JoinKeys.Count];
            for (var r = 0; r < rowCount; r++)
            {
                for (var k = 0; k < keyValues.Length; k++)
                {
                    keyValues[k] = entities[view.JoinKeys[k]][r];
                }

                keys[r] = EntityKeys.Of(keyValues);
            }

            // Each distinct entity is looked up once.
            IReadOnlyList<OnlineRow?> stored;
            int[]? slot = null;
            if (rowCount == 1)
            {
                stored = await _store.ReadAsync(view.Table, keys, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
                slot = new int[rowCount];
                for (var r = 0; r < rowCount; r++)
                {
                    if (!distinct.TryGetValue(keys[r], out var s))
                    {
                        s = distinct.Count;
                        distinct[keys[r]] = s;
                    }

                    slot[r] = s;
                }

                var unique = new string[distinct.Count];
                foreach (var (key, s) in distinct)
                {
                    unique[s] = key;
                }

                stored = await _store.ReadAsync(view.Table, unique, cancellationToken).ConfigureAwait(false);
            }

            for (var r = 0; r < rowCount; r++)
            {
                var row = stored[slot is null ? r : slot[r]];
                foreach (var (column, index) in view.Columns)
                {
                    if (row is null || row.EventTimestamp > nowMs)
                    {
                        statuses[column][r] = OnlineValueStatus.NotFound;
                        continue;
                    }

                    times[column][r] = row.EventTimestamp;
                    if (view.TtlMs > 0 && nowMs - row.EventTimestamp > view.TtlMs)
                    {
                        statuses[column][r] = OnlineValueStatus.Expired;
                        continue;
                    }

                    var value = index < row.Values.Count ? row.Values[index] : null;
                    values[column][r] = value;
                    statuses[column][r] = value is null ? OnlineValueStatus.NullValue : OnlineValueStatus.Present;
                }
            }
        }

        return new OnlineFeatureResult(plan.Columns, values, statuses, times, plan.JoinKeys, rowCount);
    }

    private async ValueTask<CatalogSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var current = _catalog;
        var now = _time.GetTimestamp();
        if (current is not null && now < current.NextCheck)
        {
            return current;
        }

        // One caller re-reads; the others use the catalog they have (at most one interval old).
        if (current is not null && !_catalogLock.Wait(0, CancellationToken.None))
        {
            return current;
        }

        if (current is null)
        {
            await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (_catalog is { } fresh && fresh != current && _time.GetTimestamp() < fresh.NextCheck)
            {
                return fresh;
            }

            var catalog = await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
            var next = _time.GetTimestamp() + (long)(CatalogRefresh.TotalSeconds * _time.TimestampFrequency);
            var snapshot = current is not null && current.Catalog.Revision == catalog.Revision
                ? current with { NextCheck = next }
                : new CatalogSnapshot(catalog, catalog.Definitions, next);
            if (current is not null && current.Catalog.Revision != catalog.Revision)
            {
                _plans.Clear();
                _onDemandPlans.Clear();
            }

            _catalog = snapshot;
            return snapshot;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    private sealed record CatalogSnapshot(FeatureCatalog Catalog, FeatureDefinitions Definitions, long NextCheck);

    private sealed record ViewRead(FeatureView View, string Table, IReadOnlyList<string> JoinKeys, long TtlMs)
    {
        public List<(int Column, int Index)> Columns { get; } = [];
    }

    private sealed record Plan(IReadOnlyList<OnlineFeatureColumn> Columns, IReadOnlyList<ViewRead> Views, IReadOnlyList<string> JoinKeys);
}

/// <summary>Feast's names of the online statuses, as the REST answer spells them.</summary>
public static class OnlineStatusNames
{
    /// <summary>PRESENT, NOT_FOUND, NULL_VALUE or EXPIRED.</summary>
    public static string Of(OnlineValueStatus status) => status switch
    {
        OnlineValueStatus.Present => "PRESENT",
        OnlineValueStatus.NotFound => "NOT_FOUND",
        OnlineValueStatus.NullValue => "NULL_VALUE",
        OnlineValueStatus.Expired => "EXPIRED",
        _ => "NOT_FOUND",
    };
}
