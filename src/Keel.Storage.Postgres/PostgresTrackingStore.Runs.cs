using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Runs: create, read, update, the delete/restore lifecycle, logging and search.</summary>
public sealed partial class PostgresTrackingStore
{
    private const string SelectRun = $"SELECT {RunSearchSql.RunColumns} FROM runs r";

    public Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(async db =>
        {
            var experimentId = ParseExperimentId(run.ExperimentId);
            // FOR SHARE: a concurrent delete of the experiment waits for this run, then deletes it too.
            var experiment = await db.ListAsync(
                "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = $1 FOR SHARE",
                r => (Stage: r.GetString(0), Location: r.GetString(1)), cancellationToken, experimentId).ConfigureAwait(false);
            if (experiment.Count == 0)
            {
                throw ExperimentNotFound(run.ExperimentId);
            }

            LifecycleStages.Parse(experiment[0].Stage).EnsureExperimentActive(run.ExperimentId);
            var info = RunRules.NewRunInfo(run, experiment[0].Location);

            var runKey = (long)(await db.ScalarAsync("""
                INSERT INTO runs (run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
                VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, 'active') RETURNING run_key
                """, cancellationToken, info.RunId, experimentId, info.RunName, run.UserId, info.Status.ToWire(), run.StartTime, info.ArtifactUri).ConfigureAwait(false))!;

            var tags = RunRules.TagsWithName(run.Tags, info.RunName);
            await RunDataWriter.UpsertTagsAsync(db, runKey, tags, cancellationToken).ConfigureAwait(false);
            return new Run(info, new RunData([], [], tags), []);
        }, cancellationToken);
    }

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var row = await FindRunAsync(db, runId, lockRow: false, cancellationToken).ConfigureAwait(false) ?? throw RunNotFound(runId);
            return (await RunDataLoader.LoadAsync(db, [row], cancellationToken).ConfigureAwait(false))[0];
        }, cancellationToken);

    public Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return WriteAsync(async db =>
        {
            var row = await RequireActiveRunAsync(db, runId, cancellationToken).ConfigureAwait(false);
            var info = RunRules.Apply(row.Info, update);
            if (RunRules.Renames(update))
            {
                await RunDataWriter.UpsertTagsAsync(db, row.RunKey, [new Tag(RunRules.RunNameTag, info.RunName)], cancellationToken).ConfigureAwait(false);
            }

            await db.ExecuteAsync("UPDATE runs SET status = $1, end_time = $2, name = $3 WHERE run_key = $4", cancellationToken,
                info.Status.ToWire(), info.EndTime, info.RunName, row.RunKey).ConfigureAwait(false);
            return info;
        }, cancellationToken);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) =>
        MoveRunAsync(runId, LifecycleStage.Deleted, cancellationToken);

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) =>
        MoveRunAsync(runId, LifecycleStage.Active, cancellationToken);

    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default)
    {
        if (MetricWrites != MetricWriteMode.Unnest && metrics.Count > 0)
        {
            try
            {
                await WriteAsync(db => RunDataWriter.WriteAsync(db, runId, metrics, @params, tags, MetricWrites, cancellationToken), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KeelException e) when (e.InnerException is PostgresException { SqlState: PostgresErrors.UniqueViolation, ConstraintName: RunDataWriter.MetricsPrimaryKey })
            {
                // The batch repeats a point (a client retrying a request it thinks failed, or the
                // same point twice in one batch). Nothing of it was kept; write it again, skipping
                // the points already there, as MLflow does.
            }
        }

        await WriteAsync(db => RunDataWriter.WriteAsync(db, runId, metrics, @params, tags, MetricWriteMode.Unnest, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var row = await RequireActiveRunAsync(db, runId, cancellationToken).ConfigureAwait(false);
            if (await db.ExecuteAsync("DELETE FROM tags WHERE run_key = $1 AND key = $2", cancellationToken, row.RunKey, key).ConfigureAwait(false) == 0)
            {
                throw Keel.Core.Errors.KeelException.NotFound($"No tag with name: {key} in run with id {runId}");
            }
        }, cancellationToken);

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Metric>>(async db =>
        {
            var row = await FindRunAsync(db, runId, lockRow: false, cancellationToken).ConfigureAwait(false) ?? throw RunNotFound(runId);
            // The primary key is (run, key, step, timestamp, value): this walks the index in order.
            return await db.ListAsync(
                "SELECT step, timestamp, value FROM metrics WHERE run_key = $1 AND key = $2 ORDER BY step, timestamp, value",
                r => new Metric(metricKey, r.GetDouble(2), r.GetInt64(1), r.GetInt64(0)), cancellationToken, row.RunKey, metricKey).ConfigureAwait(false);
        }, cancellationToken);

    public Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var translator = new RunSearchSql(PostgresDialect.Instance);
            var sql = translator.Build(query);
            var rows = await db.ListAsync(sql, TrackingRows.ReadRun, cancellationToken, [.. translator.Parameters.Values]).ConfigureAwait(false);
            var hasMore = Overfetch.TrimToPage(rows, query.MaxResults);
            return new Page<Run>(await RunDataLoader.LoadAsync(db, rows, cancellationToken).ConfigureAwait(false), hasMore);
        }, cancellationToken);

    private Task MoveRunAsync(string runId, LifecycleStage to, CancellationToken cancellationToken) =>
        WriteAsync(async db =>
        {
            // Runs accept the same-state move so a retried delete or restore succeeds (see LifecycleTransitions).
            if (await db.ExecuteAsync("UPDATE runs SET lifecycle_stage = $1 WHERE run_id = $2", cancellationToken, to.ToWire(), runId).ConfigureAwait(false) == 0)
            {
                throw RunNotFound(runId);
            }
        }, cancellationToken);

    /// <summary>An active run, its row locked for the rest of the transaction (its status moves are read-modify-write).</summary>
    private static async Task<RunRow> RequireActiveRunAsync(PgDb db, string runId, CancellationToken cancellationToken)
    {
        var row = await FindRunAsync(db, runId, lockRow: true, cancellationToken).ConfigureAwait(false) ?? throw RunNotFound(runId);
        row.Info.LifecycleStage.EnsureRunActive(runId);
        return row;
    }

    private static async Task<RunRow?> FindRunAsync(PgDb db, string runId, bool lockRow, CancellationToken cancellationToken) =>
        (await db.ListAsync($"{SelectRun} WHERE r.run_id = $1{(lockRow ? " FOR UPDATE" : string.Empty)}", TrackingRows.ReadRun, cancellationToken, runId).ConfigureAwait(false))
            .SingleOrDefault();
}
