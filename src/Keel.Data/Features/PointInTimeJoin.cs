using System.Globalization;
using DuckDB.NET.Data;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Tables;

namespace Keel.Data.Features;

/// <summary>
/// One point-in-time join prepared in a private DuckDB: the entity file opened (view <c>ti</c> with
/// its row index), each view's source read through <see cref="FeatureSourceSql"/>, and the joined
/// rows in temp table <see cref="ResultTable"/> in input order, with one match flag per view.
/// </summary>
/// <remarks>
/// Each view is an ASOF LEFT JOIN on its join keys and <c>(entity_ts, +inf) &gt;= (event_ts, created)</c>:
/// the greatest (event time, created time) at or before the entity time, so the latest row with ties
/// going to the latest created, in one pass (no created column: <c>entity_ts &gt;= event_ts</c>). The
/// TTL bound (<c>event_ts &gt;= entity_ts - ttl</c>) then nulls an expired match. The latest row at or
/// before the entity time is the only candidate: if it is expired, so is every older one, so
/// bounding after the join is exact.
/// </remarks>
internal sealed class PointInTimeJoin : IAsyncDisposable
{
    public const string ResultTable = "__keel_result";
    private const string Row = DuckTable.RowColumn;

    private readonly DuckTable _entities;
    private readonly string _spill;

    private PointInTimeJoin(DuckTable entities, string spill, IReadOnlyList<string> entityColumns, IReadOnlyList<OutputFeature> features, IReadOnlyList<string> views)
    {
        _entities = entities;
        _spill = spill;
        EntityColumns = entityColumns;
        Features = features;
        Views = views;
    }

    public DuckDBConnection Connection => _entities.Connection;

    public IReadOnlyList<string> EntityColumns { get; }

    public IReadOnlyList<OutputFeature> Features { get; }

    /// <summary>The views joined, in order of first request; view i's match flag is <c>__keel_m{i}</c>.</summary>
    public IReadOnlyList<string> Views { get; }

    public IReadOnlyList<string> OutputColumns => [.. EntityColumns, .. Features.Select(f => f.Column)];

    /// <summary>SELECT of the output columns from the result table (input order).</summary>
    public string OutputSelect =>
        $"SELECT {string.Join(", ", OutputColumns.Select(Sql.Ident))} FROM {ResultTable}";

    public static async Task<PointInTimeJoin> RunAsync(
        FeatureDefinitions definitions,
        HistoricalRequest request,
        Func<string, CancellationToken, Task<string>>? resolvePath,
        IProgress<string>? progress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(request);
        var plan = Plan(definitions, request);

        TableSource entitySource;
        try
        {
            entitySource = TableSource.Open(request.EntitiesPath);
        }
        catch (KeelException e)
        {
            throw KeelException.InvalidParameter($"Entity file: {e.Message}");
        }

        progress?.Report($"Reading entity rows from {Path.GetFileName(Path.TrimEndingDirectorySeparator(request.EntitiesPath))}");
        var entities = await DuckTable.OpenAsync(entitySource, ct).ConfigureAwait(false);
        string? spill = null;
        try
        {
            spill = await FeatureDuck.PrepareAsync(entities.Connection, ct).ConfigureAwait(false);
            var entityColumns = entities.Columns.Select(c => c.Name).ToList();
            var tsColumn = entities.Find(request.EntityTimestampColumn)
                ?? throw KeelException.InvalidParameter(
                    $"The entity file '{request.EntitiesPath}' has no column '{request.EntityTimestampColumn}' (the entity timestamp column). Its columns: {string.Join(", ", entityColumns)}.");
            foreach (var feature in plan)
            {
                if (entities.Find(feature.Column) is not null)
                {
                    throw KeelException.InvalidParameter(
                        $"Feature '{feature.Reference}' would be written as column '{feature.Column}', which the entity file already has; rename the entity column or use full feature names.");
                }
            }

            var views = plan.Select(f => f.View).DistinctBy(v => v.Name).ToList();
            var ctes = new List<string>
            {
                $"__keel_e AS (SELECT *, {{'t': __keel_ets, 'c': 'infinity'::TIMESTAMP}} AS __keel_etc FROM (SELECT *, {TimestampSql.ToUtc(Sql.Ident(tsColumn.Name), tsColumn.DuckType, () => KeelException.InvalidParameter($"The entity file's column '{tsColumn.Name}' is {tsColumn.DuckType}, which is not a time: expected a TIMESTAMP, TIMESTAMPTZ, DATE, ISO-8601 text or epoch seconds/milliseconds."))} AS __keel_ets FROM ti))",
            };
            var joins = new List<string>();
            var selects = new List<string> { "__keel_e.* EXCLUDE (__keel_ets, __keel_etc)" };
            for (var v = 0; v < views.Count; v++)
            {
                var view = views[v];
                var prefix = $"__keel_v{v}_";
                var wanted = plan.Where(f => f.View.Name == view.Name).Select(f => f.Field).Distinct().ToList();
                var keys = definitions.JoinKeysOf(view);
                var keyColumns = new List<TableColumn>();
                foreach (var key in keys)
                {
                    keyColumns.Add(entities.Find(key)
                        ?? throw KeelException.InvalidParameter(
                            $"The entity file '{request.EntitiesPath}' has no column '{key}', a join key of feature view '{view.Name}'. Its columns: {string.Join(", ", entityColumns)}."));
                }

                progress?.Report($"Reading source of {view.Name}");
                var source = await FeatureSourceSql.BuildAsync(entities.Connection, definitions, view, wanted, prefix, resolvePath, ct).ConfigureAwait(false);
                ctes.Add($"__keel_v{v} AS ({ViewSql(source, keys.Count, prefix, keyColumns)})");
                var on = keyColumns.Select((k, i) => $"__keel_e.{Sql.Ident(k.Name)} = __keel_v{v}.{prefix}k{i}")
                    .Append(source.HasCreated ? $"__keel_e.__keel_etc >= __keel_v{v}.{prefix}tc" : $"__keel_e.__keel_ets >= __keel_v{v}.{prefix}ts");
                joins.Add($"ASOF LEFT JOIN __keel_v{v} ON {string.Join(" AND ", on)}");
                // DuckDB's ASOF pairs a null entity time with the latest row; it must match nothing.
                var matched = view.Unbounded
                    ? $"(__keel_v{v}.{prefix}ts IS NOT NULL AND __keel_e.__keel_ets IS NOT NULL)"
                    : $"(__keel_v{v}.{prefix}ts >= __keel_e.__keel_ets - to_microseconds({Sql.Num(Micros(view.Ttl!.Value))}))";
                selects.Add($"coalesce({matched}, false) AS __keel_m{v}");
                foreach (var feature in plan.Where(f => f.View.Name == view.Name))
                {
                    var index = wanted.IndexOf(feature.Field);
                    selects.Add($"CASE WHEN {matched} THEN __keel_v{v}.{prefix}f{index} END AS {Sql.Ident(feature.Column)}");
                }
            }

            // Output column order is the request order, whatever the view grouping.
            var sql = $"CREATE TEMP TABLE {ResultTable} AS SELECT {string.Join(", ", entityColumns.Select(Sql.Ident))}, {string.Join(", ", plan.Select(f => Sql.Ident(f.Column)))}, {Row}, {string.Join(", ", views.Select((_, v) => $"__keel_m{v}"))} FROM ("
                + $"WITH {string.Join(",\n", ctes)}\nSELECT {string.Join(", ", selects)} FROM __keel_e {string.Join(" ", joins)}) ORDER BY {Row}";
            progress?.Report($"Joining {views.Count} view{(views.Count == 1 ? string.Empty : "s")} point in time");
            await ExecAsync(entities.Connection, sql, ct).ConfigureAwait(false);
            return new PointInTimeJoin(entities, spill, entityColumns, plan, [.. views.Select(v => v.Name)]);
        }
        catch
        {
            await entities.DisposeAsync().ConfigureAwait(false);
            FeatureDuck.Cleanup(spill);
            throw;
        }
    }

    public async Task<IReadOnlyList<ViewMatch>> MatchesAsync(CancellationToken ct)
    {
        var flags = string.Join(", ", Views.Select((_, v) => $"count_if(__keel_m{v})::BIGINT"));
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*), {flags} FROM {ResultTable}";
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return [.. Views.Select((view, v) => new ViewMatch(view, Convert.ToInt64(reader.GetValue(v + 1), CultureInfo.InvariantCulture), rows))];
    }

    public async ValueTask DisposeAsync()
    {
        await _entities.DisposeAsync().ConfigureAwait(false);
        FeatureDuck.Cleanup(_spill);
    }

    public static async Task ExecAsync(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("KEEL_TRACE_SQL") == "1")
        {
            Console.Error.WriteLine(sql);
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw KeelException.InvalidParameter($"Point-in-time retrieval failed: {FeatureSourceSql.FirstLine(e.Message)}");
        }
    }

    public static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>
    /// The source with join keys in the entity file's types and, when it has a created column, the
    /// ASOF key <c>{prefix}tc</c> = (event_ts, created): the ASOF join then takes the greatest
    /// (event_ts, created) at or before (entity_ts, +infinity), which is the latest event time with
    /// ties going to the latest created, in one pass. Measured 2.6x faster than reducing ties first
    /// with a window (bench <c>pit --struct-asof</c>). A null created time sorts as the oldest; a
    /// null event time never matches.
    /// </summary>
    private static string ViewSql(SourceQuery source, int keyCount, string prefix, IReadOnlyList<TableColumn> entityKeys)
    {
        var select = source.Select;
        var casts = new List<string>();
        for (var i = 0; i < keyCount; i++)
        {
            if (!string.Equals(source.KeyTypes[i], entityKeys[i].DuckType, StringComparison.OrdinalIgnoreCase))
            {
                casts.Add($"TRY_CAST({prefix}k{i} AS {entityKeys[i].DuckType}) AS {prefix}k{i}");
            }
        }

        var outer = casts.Count == 0 ? "*" : $"* REPLACE ({string.Join(", ", casts)})";
        if (!source.HasCreated)
        {
            // No created column: Feast leaves the order of equal event times undefined, and so does Keel.
            return $"SELECT {outer} FROM ({select})";
        }

        return $"SELECT {outer}, {{'t': {prefix}ts, 'c': coalesce({prefix}created, '-infinity'::TIMESTAMP)}} AS {prefix}tc FROM ({select}) WHERE {prefix}ts IS NOT NULL";
    }

    /// <summary>Checks the request against the definitions and names each output column.</summary>
    private static List<OutputFeature> Plan(FeatureDefinitions definitions, HistoricalRequest request)
    {
        if (request.Features.Count == 0)
        {
            throw KeelException.InvalidParameter("No features requested: name at least one as view:feature, or a feature service.");
        }

        var plan = new List<OutputFeature>();
        var byColumn = new Dictionary<string, OutputFeature>(StringComparer.Ordinal);
        foreach (var reference in request.Features)
        {
            var view = definitions.FindView(reference.View);
            if (view is null)
            {
                throw definitions.FindOnDemandView(reference.View) is not null
                    ? KeelException.InvalidParameter($"'{reference}' is an on-demand feature; offline retrieval reads feature views only.")
                    : KeelException.InvalidParameter(
                        $"Unknown feature view '{reference.View}' in '{reference}'. Views: {(definitions.Views.Count == 0 ? "(none)" : string.Join(", ", definitions.Views.Select(v => v.Name)))}.");
            }

            var field = view.Features.FirstOrDefault(f => f.Name == reference.Feature)
                ?? throw KeelException.InvalidParameter(
                    $"Feature view '{view.Name}' has no feature '{reference.Feature}'. Its features: {string.Join(", ", view.Features.Select(f => f.Name))}.");
            var column = request.FullFeatureNames ? reference.FullName : reference.Feature;
            var output = new OutputFeature(reference, view, field, column);
            if (byColumn.TryGetValue(column, out var other))
            {
                throw other.View.Name == view.Name
                    ? KeelException.InvalidParameter($"Feature '{reference}' is requested twice.")
                    : KeelException.InvalidParameter(
                        $"Feature name collision: '{reference.Feature}' is in both feature views '{other.View.Name}' and '{view.Name}'; use full feature names (view__feature) to request both.");
            }

            byColumn[column] = output;
            plan.Add(output);
        }

        return plan;
    }
}

/// <summary>One requested feature and its output column.</summary>
internal sealed record OutputFeature(FeatureReference Reference, FeatureView View, FeatureField Field, string Column);
