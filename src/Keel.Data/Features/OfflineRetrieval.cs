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
        await using var join = await PointInTimeJoin.RunAsync(_definitions, request, _resolvePath, progress, cancellationToken).ConfigureAwait(false);
        progress?.Report($"Writing {Path.GetFileName(outputPath)}");
        var full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var options = format == TableFormat.Parquet ? "FORMAT PARQUET" : "FORMAT CSV, HEADER";
        await PointInTimeJoin.ExecAsync(join.Connection, $"COPY ({join.OutputSelect}) TO {Sql.Str(full)} ({options})", cancellationToken).ConfigureAwait(false);
        var matches = await join.MatchesAsync(cancellationToken).ConfigureAwait(false);
        return new HistoricalSummary(matches.Count == 0 ? 0 : matches[0].Rows, matches, join.OutputColumns, clock.Elapsed);
    }

    /// <summary>The result in memory, feature values normalized (<see cref="FeatureValues.Normalize"/>) so they compare with online reads.</summary>
    /// <param name="request">What to retrieve.</param>
    /// <param name="cancellationToken">Cancels the retrieval.</param>
    public async Task<HistoricalTable> ReadAsync(HistoricalRequest request, CancellationToken cancellationToken = default)
    {
        await using var join = await PointInTimeJoin.RunAsync(_definitions, request, _resolvePath, null, cancellationToken).ConfigureAwait(false);
        var rows = new List<IReadOnlyList<object?>>();
        var entityCount = join.EntityColumns.Count;
        await using var cmd = join.Connection.CreateCommand();
        cmd.CommandText = join.OutputSelect;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                row[i] = i < entityCount ? value : FeatureValues.Normalize(value, join.Features[i - entityCount].Field.Dtype);
            }

            rows.Add(row);
        }

        return new HistoricalTable(join.OutputColumns, entityCount, rows);
    }
}
