using System.Globalization;
using Keel.Core.Tracking;

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
            // Experiment ids are integers here; any other text names no experiment.
            var ids = new List<long>(experimentIds.Count);
            foreach (var id in experimentIds)
            {
                if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    ids.Add(parsed);
                }
            }

            if (ids.Count == 0 || maxResults <= 0)
            {
                return [];
            }

            // NULLS FIRST: a dataset without a context sorts before its contexts, as in SQLite.
            return await db.ListAsync("""
                SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value
                FROM datasets d
                JOIN inputs i ON i.dataset_key = d.dataset_key
                LEFT JOIN input_tags t ON t.input_key = i.input_key AND t.key = 'mlflow.data.context'
                WHERE d.experiment_id = ANY($1)
                ORDER BY d.experiment_id, d.name, d.digest, t.value NULLS FIRST
                LIMIT $2
                """,
                r => new DatasetSummary(r.GetInt64(0).ToString(CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), PgDb.NullableString(r, 3)),
                cancellationToken, ids.ToArray(), (long)maxResults).ConfigureAwait(false);
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
