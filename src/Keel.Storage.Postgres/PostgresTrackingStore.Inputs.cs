using System.Globalization;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Postgres;

/// <summary>Dataset inputs: datasets are shared per (experiment, name, digest); a run links each once.</summary>
public sealed partial class PostgresTrackingStore
{
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var row = await RequireActiveRunAsync(db, runId, cancellationToken).ConfigureAwait(false);
            var experimentId = long.Parse(row.Info.ExperimentId, CultureInfo.InvariantCulture);
            foreach (var input in inputs)
            {
                var datasetKey = await EnsureDatasetAsync(db, experimentId, input.Dataset, cancellationToken).ConfigureAwait(false);
                var inputKey = await db.ScalarAsync(
                    "INSERT INTO inputs (run_key, dataset_key) VALUES ($1, $2) ON CONFLICT (run_key, dataset_key) DO NOTHING RETURNING input_key",
                    cancellationToken, row.RunKey, datasetKey).ConfigureAwait(false) as long?;
                if (inputKey is null)
                {
                    continue; // already linked: MLflow keeps the first link and its tags
                }

                foreach (var tag in input.Tags)
                {
                    await db.ExecuteAsync(
                        "INSERT INTO input_tags (input_key, key, value) VALUES ($1, $2, $3) ON CONFLICT (input_key, key) DO UPDATE SET value = EXCLUDED.value",
                        cancellationToken, inputKey, tag.Key, tag.Value).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    public Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DatasetSummary>>(async db =>
        {
            var translator = new DatasetSearchSql(PostgresDialect.Instance);
            return translator.Build(experimentIds, maxResults) is { } sql
                ? await db.ListAsync(sql, TrackingRows.ReadDatasetSummary, cancellationToken, [.. translator.Parameters.Values]).ConfigureAwait(false)
                : [];
        }, cancellationToken);

    private static async Task<long> EnsureDatasetAsync(PgDb db, long experimentId, Dataset dataset, CancellationToken cancellationToken)
    {
        // Insert-or-find in one statement pair that is safe against a concurrent insert of the same dataset.
        var inserted = await db.ScalarAsync("""
            INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (experiment_id, name, digest) DO NOTHING RETURNING dataset_key
            """, cancellationToken, experimentId, dataset.Name, dataset.Digest, dataset.SourceType, dataset.Source, Text(dataset.Schema), Text(dataset.Profile)).ConfigureAwait(false);
        return inserted as long?
            ?? (long)(await db.ScalarAsync("SELECT dataset_key FROM datasets WHERE experiment_id = $1 AND name = $2 AND digest = $3",
                cancellationToken, experimentId, dataset.Name, dataset.Digest).ConfigureAwait(false))!;
    }

    /// <summary>A text parameter that may be null (typed, so PostgreSQL need not infer it).</summary>
    private static Npgsql.NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
