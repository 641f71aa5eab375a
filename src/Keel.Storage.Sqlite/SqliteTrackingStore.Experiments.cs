using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Experiments: create, read, search, rename, tag and the delete/restore lifecycle.</summary>
public sealed partial class SqliteTrackingStore
{
    private const string SelectExperiment = $"SELECT {ExperimentSearchSql.ExperimentColumns} FROM experiments e";

    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using (var exists = Command(transaction, "SELECT 1 FROM experiments WHERE name = $name", ("$name", name)))
            {
                if (exists.ExecuteScalar() is not null)
                {
                    throw ExperimentExists(name);
                }
            }

            long id;
            using (var next = Command(transaction, "SELECT COALESCE(MAX(experiment_id), 0) + 1 FROM experiments"))
            {
                id = (long)next.ExecuteScalar()!;
            }

            var idText = id.ToString(CultureInfo.InvariantCulture);
            var location = string.IsNullOrEmpty(artifactLocation) ? ArtifactPaths.ForExperiment(_defaultArtifactRoot, idText) : artifactLocation;
            var now = Now();
            using (var insert = Command(transaction, """
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES ($id, $name, $location, 'active', $now, $now)
                """, ("$id", id), ("$name", name), ("$location", location), ("$now", now)))
            {
                insert.ExecuteNonQuery();
            }

            foreach (var tag in tags)
            {
                UpsertExperimentTag(transaction, id, tag);
            }

            return idText;
        }, cancellationToken);

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            var id = ParseExperimentId(experimentId);
            return ReadExperiments(connection, $"{SelectExperiment} WHERE e.experiment_id = $id", ("$id", id)).SingleOrDefault()
                ?? throw ExperimentNotFound(experimentId);
        }, cancellationToken);

    public Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
            ReadExperiments(connection, $"{SelectExperiment} WHERE e.name = $name", ("$name", name)).SingleOrDefault()
                ?? throw KeelException.NotFound($"Could not find experiment with name '{name}'"),
            cancellationToken);

    public Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            var translator = new ExperimentSearchSql(SqliteDialect.Instance);
            var sql = translator.Build(query);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            translator.Parameters.Bind(command);
            var experiments = ReadExperiments(connection, command);
            return Overfetch.ToPage(experiments, query.MaxResults);
        }, cancellationToken);

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        MoveExperimentAsync(experimentId, LifecycleStage.Deleted, cancellationToken);

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        MoveExperimentAsync(experimentId, LifecycleStage.Active, cancellationToken);

    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var id = ParseExperimentId(experimentId);
            RequireExperimentStage(transaction, id, experimentId).EnsureExperimentActive(experimentId);
            using (var taken = Command(transaction, "SELECT 1 FROM experiments WHERE name = $name AND experiment_id <> $id", ("$name", newName), ("$id", id)))
            {
                if (taken.ExecuteScalar() is not null)
                {
                    throw ExperimentExists(newName);
                }
            }

            using var rename = Command(transaction, "UPDATE experiments SET name = $name, last_update_time = $now WHERE experiment_id = $id",
                ("$name", newName), ("$now", Now()), ("$id", id));
            rename.ExecuteNonQuery();
        }, cancellationToken);

    public Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var id = ParseExperimentId(experimentId);
            RequireExperimentStage(transaction, id, experimentId).EnsureExperimentActive(experimentId);
            UpsertExperimentTag(transaction, id, tag);
            using var touch = Command(transaction, "UPDATE experiments SET last_update_time = $now WHERE experiment_id = $id", ("$now", Now()), ("$id", id));
            touch.ExecuteNonQuery();
        }, cancellationToken);

    private Task MoveExperimentAsync(string experimentId, LifecycleStage to, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            var id = ParseExperimentId(experimentId);
            RequireExperimentStage(transaction, id, experimentId).EnsureExperimentCanMoveTo(to, experimentId);
            var stage = to.ToWire();
            using (var update = Command(transaction, "UPDATE experiments SET lifecycle_stage = $stage, last_update_time = $now WHERE experiment_id = $id",
                ("$stage", stage), ("$now", Now()), ("$id", id)))
            {
                update.ExecuteNonQuery();
            }

            // MLflow soft-deletes an experiment's runs with it and brings them back on restore.
            using var runs = Command(transaction, "UPDATE runs SET lifecycle_stage = $stage WHERE experiment_id = $id", ("$stage", stage), ("$id", id));
            runs.ExecuteNonQuery();
        }, cancellationToken);

    private LifecycleStage RequireExperimentStage(SqliteTransaction transaction, long id, string experimentId)
    {
        using var command = Command(transaction, "SELECT lifecycle_stage FROM experiments WHERE experiment_id = $id", ("$id", id));
        return command.ExecuteScalar() is string stage ? LifecycleStages.Parse(stage) : throw ExperimentNotFound(experimentId);
    }

    private void UpsertExperimentTag(SqliteTransaction transaction, long id, Tag tag)
    {
        using var command = Command(transaction,
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($id, $key, $value) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
            ("$id", id), ("$key", tag.Key), ("$value", tag.Value));
        command.ExecuteNonQuery();
    }

    private static List<Experiment> ReadExperiments(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return ReadExperiments(connection, command);
    }

    /// <summary>Reads experiment rows, then all their tags in one query.</summary>
    private static List<Experiment> ReadExperiments(SqliteConnection connection, SqliteCommand command)
    {
        var rows = RowReaders.ReadAll(command, TrackingRows.ReadExperiment);
        if (rows.Count == 0)
        {
            return [];
        }

        using var tagCommand = connection.CreateCommand();
        tagCommand.CommandText =
            $"SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ({RowReaders.KeyList(rows.Select(r => r.Id))}) ORDER BY rowid";
        using var tagReader = tagCommand.ExecuteReader();
        return TrackingRows.WithTags(rows, RowGroups.ByFirstColumn(tagReader, r => new Tag(r.GetString(1), r.GetString(2))));
    }

    /// <summary>Ids are integers here; any other text names no experiment.</summary>
    private static long ParseExperimentId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw ExperimentNotFound(experimentId);

    private static KeelException ExperimentNotFound(string experimentId) => KeelException.NotFound($"No Experiment with id={experimentId} exists");

    private static KeelException ExperimentExists(string name) => KeelException.AlreadyExists($"Experiment(name={name}) already exists.");
}
