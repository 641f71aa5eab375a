using System.Globalization;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Experiments: create, read, search, rename, tag and the delete/restore lifecycle.</summary>
public sealed partial class PostgresTrackingStore
{
    private const string SelectExperiment = $"SELECT {ExperimentSearchSql.ExperimentColumns} FROM experiments e";

    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            if (await db.ScalarAsync("SELECT 1 FROM experiments WHERE name = $1", cancellationToken, name).ConfigureAwait(false) is not null)
            {
                throw ExperimentExists(name);
            }

            // The id comes first: the default location is built from it.
            var id = (long)(await db.ScalarAsync("SELECT nextval(pg_get_serial_sequence('experiments', 'experiment_id'))", cancellationToken).ConfigureAwait(false))!;
            var idText = id.ToString(CultureInfo.InvariantCulture);
            var location = string.IsNullOrEmpty(artifactLocation) ? ArtifactPaths.ForExperiment(_defaultArtifactRoot, idText) : artifactLocation;
            var now = Now();
            try
            {
                await db.ExecuteAsync("""
                    INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES ($1, $2, $3, 'active', $4, $4)
                    """, cancellationToken, id, name, location, now).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw ExperimentExists(name); // created by a concurrent request since the check above
            }

            foreach (var tag in tags)
            {
                await UpsertExperimentTagAsync(db, id, tag, cancellationToken).ConfigureAwait(false);
            }

            return idText;
        }, cancellationToken);

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var id = ParseExperimentId(experimentId);
            return (await ReadExperimentsAsync(db, $"{SelectExperiment} WHERE e.experiment_id = $1", cancellationToken, id).ConfigureAwait(false)).SingleOrDefault()
                ?? throw ExperimentNotFound(experimentId);
        }, cancellationToken);

    public Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
            (await ReadExperimentsAsync(db, $"{SelectExperiment} WHERE e.name = $1", cancellationToken, name).ConfigureAwait(false)).SingleOrDefault()
                ?? throw Keel.Core.Errors.KeelException.NotFound($"Could not find experiment with name '{name}'"),
            cancellationToken);

    public Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var translator = new ExperimentSearchSql(PostgresDialect.Instance);
            var sql = translator.Build(query);
            var experiments = await ReadExperimentsAsync(db, sql, cancellationToken, [.. translator.Parameters.Values]).ConfigureAwait(false);
            return Overfetch.ToPage(experiments, query.MaxResults);
        }, cancellationToken);

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        MoveExperimentAsync(experimentId, LifecycleStage.Deleted, cancellationToken);

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        MoveExperimentAsync(experimentId, LifecycleStage.Active, cancellationToken);

    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var id = ParseExperimentId(experimentId);
            (await LockExperimentAsync(db, id, experimentId, cancellationToken).ConfigureAwait(false)).EnsureExperimentActive(experimentId);
            if (await db.ScalarAsync("SELECT 1 FROM experiments WHERE name = $1 AND experiment_id <> $2", cancellationToken, newName, id).ConfigureAwait(false) is not null)
            {
                throw ExperimentExists(newName);
            }

            try
            {
                await db.ExecuteAsync("UPDATE experiments SET name = $1, last_update_time = $2 WHERE experiment_id = $3", cancellationToken, newName, Now(), id).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw ExperimentExists(newName);
            }
        }, cancellationToken);

    public Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var id = ParseExperimentId(experimentId);
            (await LockExperimentAsync(db, id, experimentId, cancellationToken).ConfigureAwait(false)).EnsureExperimentActive(experimentId);
            await UpsertExperimentTagAsync(db, id, tag, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("UPDATE experiments SET last_update_time = $1 WHERE experiment_id = $2", cancellationToken, Now(), id).ConfigureAwait(false);
        }, cancellationToken);

    private Task MoveExperimentAsync(string experimentId, LifecycleStage to, CancellationToken cancellationToken) =>
        WriteAsync(async db =>
        {
            var id = ParseExperimentId(experimentId);
            (await LockExperimentAsync(db, id, experimentId, cancellationToken).ConfigureAwait(false)).EnsureExperimentCanMoveTo(to, experimentId);
            var stage = to.ToWire();
            await db.ExecuteAsync("UPDATE experiments SET lifecycle_stage = $1, last_update_time = $2 WHERE experiment_id = $3", cancellationToken, stage, Now(), id).ConfigureAwait(false);
            // MLflow soft-deletes an experiment's runs with it and brings them back on restore.
            await db.ExecuteAsync("UPDATE runs SET lifecycle_stage = $1 WHERE experiment_id = $2", cancellationToken, stage, id).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The experiment's stage, its row locked until the transaction ends so the decision taken on it holds.</summary>
    private static async Task<LifecycleStage> LockExperimentAsync(PgDb db, long id, string experimentId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT lifecycle_stage FROM experiments WHERE experiment_id = $1 FOR UPDATE", cancellationToken, id).ConfigureAwait(false) is string stage
            ? LifecycleStages.Parse(stage)
            : throw ExperimentNotFound(experimentId);

    private static Task UpsertExperimentTagAsync(PgDb db, long id, Tag tag, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = EXCLUDED.value",
            cancellationToken, id, tag.Key, tag.Value);

    /// <summary>Reads experiment rows, then all their tags in one query.</summary>
    private static async Task<List<Experiment>> ReadExperimentsAsync(PgDb db, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var rows = await db.ListAsync(sql, TrackingRows.ReadExperiment, cancellationToken, values).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var keys = rows.Select(r => r.Id).ToArray();
        await using var command = db.Command("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ANY($1) ORDER BY ord", keys);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tags = await RowGroups.ByFirstColumnAsync(reader, r => new Tag(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        return TrackingRows.WithTags(rows, tags);
    }

    /// <summary>Ids are integers here; any other text names no experiment.</summary>
    private static long ParseExperimentId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw ExperimentNotFound(experimentId);
}
