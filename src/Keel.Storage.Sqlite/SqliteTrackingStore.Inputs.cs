using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Dataset inputs: datasets are shared per (experiment, name, digest); a run links each once.</summary>
public sealed partial class SqliteTrackingStore
{
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var row = RequireActiveRun(transaction, runId);
            var experimentId = long.Parse(row.Info.ExperimentId, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var input in inputs)
            {
                var datasetKey = EnsureDataset(transaction, experimentId, input.Dataset);
                long? inputKey;
                using (var link = Command(transaction,
                    "INSERT INTO inputs (run_key, dataset_key) VALUES ($run, $dataset) ON CONFLICT (run_key, dataset_key) DO NOTHING RETURNING input_key",
                    ("$run", row.RunKey), ("$dataset", datasetKey)))
                {
                    inputKey = link.ExecuteScalar() as long?;
                }

                if (inputKey is null)
                {
                    continue; // already linked: MLflow keeps the first link and its tags
                }

                foreach (var tag in input.Tags)
                {
                    using var insertTag = Command(transaction,
                        "INSERT INTO input_tags (input_key, key, value) VALUES ($input, $key, $value) ON CONFLICT (input_key, key) DO UPDATE SET value = excluded.value",
                        ("$input", inputKey), ("$key", tag.Key), ("$value", tag.Value));
                    insertTag.ExecuteNonQuery();
                }
            }
        }, cancellationToken);

    public Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DatasetSummary>>(connection =>
        {
            var translator = new DatasetSearchSql(SqliteDialect.Instance);
            if (translator.Build(experimentIds, maxResults) is not { } sql)
            {
                return [];
            }

            using var command = connection.CreateCommand();
            command.CommandText = sql;
            translator.Parameters.Bind(command);
            return RowReaders.ReadAll(command, TrackingRows.ReadDatasetSummary);
        }, cancellationToken);

    private long EnsureDataset(SqliteTransaction transaction, long experimentId, Dataset dataset)
    {
        using (var find = Command(transaction, "SELECT dataset_key FROM datasets WHERE experiment_id = $e AND name = $n AND digest = $d",
            ("$e", experimentId), ("$n", dataset.Name), ("$d", dataset.Digest)))
        {
            if (find.ExecuteScalar() is long existing)
            {
                return existing;
            }
        }

        using var insert = Command(transaction, """
            INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
            VALUES ($e, $n, $d, $st, $s, $schema, $profile) RETURNING dataset_key
            """,
            ("$e", experimentId), ("$n", dataset.Name), ("$d", dataset.Digest), ("$st", dataset.SourceType),
            ("$s", dataset.Source), ("$schema", dataset.Schema), ("$profile", dataset.Profile));
        return (long)insert.ExecuteScalar()!;
    }
}
