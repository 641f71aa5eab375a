using System.Diagnostics;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Tables;

namespace Keel.Data.Features;

/// <summary>
/// Point-in-time retrieval of training data with Feast's semantics, in process, on DuckDB
/// (Feast's <c>get_historical_features</c>). For each entity row and each requested view
/// independently: the latest feature row with the same join keys and
/// <c>entity_ts - ttl &lt;= event_ts &lt;= entity_ts</c> (both bounds inclusive; a TTL of 0 or none
/// is unbounded); among rows of equal event time the one created last (the created time only breaks
/// ties); no such row gives nulls. Every entity row comes back exactly once, duplicates included, in
/// input order, with the entity file's columns unchanged followed by the features in request order.
/// </summary>
/// <example>
/// <code>
/// var retrieval = new OfflineRetrieval(definitions);
/// var request = new HistoricalRequest("entities.parquet", [new("driver_stats", "conv_rate")]);
/// await retrieval.WriteAsync(request, "training.parquet");     // or: await retrieval.ReadAsync(request)
/// </code>
/// </example>
public sealed class OfflineRetrieval
{
    private readonly FeatureDefinitions _definitions;
    private readonly Func<string, CancellationToken, Task<string>>? _resolvePath;

    /// <summary>An engine over a set of definitions.</summary>
    /// <param name="definitions">The entities, sources and views (e.g. the registry catalog's <see cref="FeatureCatalog.Definitions"/>).</param>
    /// <param name="resolvePath">Checks out a source path that is not local (a <c>datasets:/</c> URI) and returns its local path; null when every source is local.</param>
    public OfflineRetrieval(FeatureDefinitions definitions, Func<string, CancellationToken, Task<string>>? resolvePath = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _definitions = definitions;
        _resolvePath = resolvePath;
    }

    /// <summary>
    /// The features a service names, or a comma-separated list of <c>view:feature</c>; throws
    /// INVALID_PARAMETER_VALUE naming an unknown service, view or feature.
    /// </summary>
    public static IReadOnlyList<FeatureReference> ResolveFeatures(FeatureDefinitions definitions, string serviceOrFeatures)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        if (string.IsNullOrWhiteSpace(serviceOrFeatures))
        {
            throw KeelException.InvalidParameter("--features is empty: name a feature service or view:feature,...");
        }

        var text = serviceOrFeatures.Trim();
        List<FeatureReference> references;
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            var service = definitions.FindService(text)
                ?? throw KeelException.InvalidParameter(
                    $"Unknown feature service '{text}' (to name features, write view:feature). Services: {(definitions.Services.Count == 0 ? "(none)" : string.Join(", ", definitions.Services.Select(s => s.Name)))}.");
            references = [.. service.Features];
        }
        else
        {
            references = [];
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                references.Add(FeatureReference.TryParse(part)
                    ?? throw KeelException.InvalidParameter($"'{part}' is not a feature reference: write view:feature."));
            }
        }

        foreach (var reference in references)
        {
            var view = definitions.FindView(reference.View);
            if (view is null && definitions.FindOnDemandView(reference.View) is null)
            {
                throw KeelException.InvalidParameter(
                    $"Unknown feature view '{reference.View}' in '{reference}'. Views: {(definitions.Views.Count == 0 ? "(none)" : string.Join(", ", definitions.Views.Select(v => v.Name)))}.");
            }

            if (view is not null && view.Features.All(f => f.Name != reference.Feature))
            {
                throw KeelException.InvalidParameter(
                    $"Feature view '{view.Name}' has no feature '{reference.Feature}'. Its features: {string.Join(", ", view.Features.Select(f => f.Name))}.");
            }
        }

        return references;
    }

    /// <summary>Writes the result to a Parquet or CSV file (chosen by its extension; overwritten) and returns what was produced.</summary>
    /// <param name="request">What to retrieve.</param>
    /// <param name="outputPath">A <c>.parquet</c> or <c>.csv</c> file.</param>
    /// <param name="progress">Receives a line per stage.</param>
    /// <param name="cancellationToken">Cancels the retrieval.</param>
    public async Task<HistoricalSummary> WriteAsync(HistoricalRequest request, string outputPath, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var format = TableSource.FormatOf(outputPath);
        if (format is not (TableFormat.Parquet or TableFormat.Csv) || outputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter($"--output '{outputPath}': write a .parquet or .csv file.");
        }

        var clock = Stopwatch.StartNew();
        var (join, output) = await RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
        await using (join.ConfigureAwait(false))
        {
            progress?.Report($"Writing {Path.GetFileName(outputPath)}");
            var full = Path.GetFullPath(outputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var options = format == TableFormat.Parquet ? "FORMAT PARQUET" : "FORMAT CSV, HEADER";
            await PointInTimeJoin.ExecAsync(join.Connection, $"COPY ({output.Select}) TO {Sql.Str(full)} ({options})", cancellationToken).ConfigureAwait(false);
            var matches = await join.MatchesAsync(cancellationToken).ConfigureAwait(false);
            return new HistoricalSummary(matches.Count == 0 ? 0 : matches[0].Rows, matches, output.Columns, clock.Elapsed);
        }
    }

    /// <summary>The result in memory, feature values normalized (<see cref="FeatureValues.Normalize"/>) so they compare with online reads.</summary>
    /// <param name="request">What to retrieve.</param>
    /// <param name="cancellationToken">Cancels the retrieval.</param>
    public async Task<HistoricalTable> ReadAsync(HistoricalRequest request, CancellationToken cancellationToken = default)
    {
        var (join, output) = await RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        await using (join.ConfigureAwait(false))
        {
            var rows = new List<IReadOnlyList<object?>>();
            var entityCount = join.EntityColumns.Count;
            await using var cmd = join.Connection.CreateCommand();
            cmd.CommandText = output.Select;
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    row[i] = i < entityCount ? value : FeatureValues.Normalize(value, output.Dtypes[i - entityCount]);
                }

                rows.Add(row);
            }

            return new HistoricalTable(output.Columns, entityCount, rows);
        }
    }

    private sealed record Output(string Select, IReadOnlyList<string> Columns, IReadOnlyList<FeatureDtype> Dtypes);

    // Plain requests join as asked. A request naming on-demand features joins the feature-view
    // features they need under full names (so none collide), computes the on-demand values row by
    // row with the plan online reads use, and selects the requested columns in order.
    private async Task<(PointInTimeJoin Join, Output Output)> RunAsync(HistoricalRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Features.Any(r => _definitions.FindOnDemandView(r.View) is not null))
        {
            var plain = await PointInTimeJoin.RunAsync(_definitions, request, _resolvePath, progress, cancellationToken).ConfigureAwait(false);
            return (plain, new Output(plain.OutputSelect, plain.OutputColumns, [.. plain.Features.Select(f => f.Field.Dtype)]));
        }

        var plan = Keel.Compute.Features.OnDemandPlan.Build(_definitions, request.Features, request.FullFeatureNames);
        var join = await PointInTimeJoin.RunAsync(_definitions, request with { Features = plan.InnerReferences, FullFeatureNames = true }, _resolvePath, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var field in plan.RequestFields)
            {
                if (!join.EntityColumns.Contains(field, StringComparer.Ordinal))
                {
                    throw KeelException.InvalidParameter($"The entity file '{request.EntitiesPath}' has no column '{field}', a request field an on-demand feature asked for computes from. Its columns: {string.Join(", ", join.EntityColumns)}.");
                }
            }

            foreach (var output in plan.Outputs)
            {
                if (join.EntityColumns.Contains(output.Name, StringComparer.Ordinal))
                {
                    throw KeelException.InvalidParameter($"Feature '{output.Reference}' would be written as column '{output.Name}', which the entity file already has; rename the entity column or use full feature names.");
                }
            }

            progress?.Report("Computing on-demand features");
            await ComputeOnDemandAsync(join, plan, cancellationToken).ConfigureAwait(false);
            var columns = new List<string>();
            foreach (var (output, i) in plan.Outputs.Select((o, i) => (o, i)))
            {
                columns.Add(output.Inner >= 0
                    ? $"r.{Sql.Ident(plan.InnerReferences[output.Inner].FullName)} AS {Sql.Ident(output.Name)}"
                    : output.Dtype == FeatureDtype.UnixTimestamp
                        ? $"make_timestamp(d.o{i} * 1000) AS {Sql.Ident(output.Name)}"
                        : $"d.o{i} AS {Sql.Ident(output.Name)}");
            }

            var select = $"SELECT {string.Join(", ", join.EntityColumns.Select(c => "r." + Sql.Ident(c)))}, {string.Join(", ", columns)} "
                + $"FROM {PointInTimeJoin.ResultTable} r LEFT JOIN __keel_odfv d ON d.rid = r.{DuckTable.RowColumn} ORDER BY r.{DuckTable.RowColumn}";
            return (join, new Output(select, [.. join.EntityColumns, .. plan.Outputs.Select(o => o.Name)], [.. plan.Outputs.Select(o => o.Dtype)]));
        }
        catch
        {
            await join.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ComputeOnDemandAsync(PointInTimeJoin join, Keel.Compute.Features.OnDemandPlan plan, CancellationToken cancellationToken)
    {
        var onDemand = plan.Outputs.Select((o, i) => (o, i)).Where(x => x.o.Inner < 0).ToList();
        var definitions = string.Join(", ", onDemand.Select(x => $"o{x.i} {DuckType(x.o.Dtype)}"));
        await PointInTimeJoin.ExecAsync(join.Connection, $"CREATE TEMP TABLE __keel_odfv (rid BIGINT, {definitions})", cancellationToken).ConfigureAwait(false);
        var innerDtypes = plan.InnerReferences.Select(r => join.Features.First(f => f.Reference == r).Field.Dtype).ToArray();
        var read = plan.InnerReferences.Select(r => Sql.Ident(r.FullName)).Concat(plan.RequestFields.Select(Sql.Ident));
        await using var cmd = join.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {DuckTable.RowColumn}, {string.Join(", ", read)} FROM {PointInTimeJoin.ResultTable} ORDER BY {DuckTable.RowColumn}";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        using var appender = join.Connection.CreateAppender("__keel_odfv");
        var inner = new object?[plan.InnerReferences.Count];
        var requestFields = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < inner.Length; i++)
            {
                inner[i] = reader.IsDBNull(i + 1) ? null : FeatureValues.Normalize(reader.GetValue(i + 1), innerDtypes[i]);
            }

            for (var f = 0; f < plan.RequestFields.Count; f++)
            {
                var at = 1 + inner.Length + f;
                requestFields[plan.RequestFields[f]] = reader.IsDBNull(at) ? null : reader.GetValue(at);
            }

            var values = plan.Evaluate(i => inner[i], name => requestFields.GetValueOrDefault(name));
            var row = appender.CreateRow().AppendValue(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (output, _) in onDemand)
            {
                var value = values[output.Evaluator][output.Feature];
                row = value switch
                {
                    null => row.AppendNullValue(),
                    long l => row.AppendValue(l),
                    double d => row.AppendValue(d),
                    bool b => row.AppendValue(b),
                    string t => row.AppendValue(t),
                    _ => row.AppendValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
                };
            }

            row.EndRow();
        }
    }

    private static string DuckType(FeatureDtype dtype) => dtype switch
    {
        FeatureDtype.Int32 or FeatureDtype.Int64 or FeatureDtype.UnixTimestamp => "BIGINT",
        FeatureDtype.Float32 or FeatureDtype.Float64 => "DOUBLE",
        FeatureDtype.Bool => "BOOLEAN",
        _ => "VARCHAR",
    };
}
