using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Runs: create, read, update, the delete/restore lifecycle, logging and search.</summary>
public sealed partial class SqliteTrackingStore
{
    private const string SelectRun = $"SELECT {RunSearchSql.RunColumns} FROM runs r";

    public Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var experimentId = ParseExperimentId(run.ExperimentId);
            string location;
            using (var experiment = Command(transaction, "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = $id", ("$id", experimentId)))
            using (var reader = experiment.ExecuteReader())
            {
                if (!reader.Read())
                {
                    throw ExperimentNotFound(run.ExperimentId);
                }

                LifecycleStages.Parse(reader.GetString(0)).EnsureExperimentActive(run.ExperimentId);
                location = reader.GetString(1);
            }

            var info = RunRules.NewRunInfo(run, location);

            long runKey;
            using (var insert = Command(transaction, """
                INSERT INTO runs (run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
                VALUES ($id, $experiment, $name, $user, $status, $start, NULL, $uri, 'active') RETURNING run_key
                """,
                ("$id", info.RunId), ("$experiment", experimentId), ("$name", info.RunName), ("$user", run.UserId),
                ("$status", info.Status.ToWire()), ("$start", run.StartTime), ("$uri", info.ArtifactUri)))
            {
                runKey = (long)insert.ExecuteScalar()!;
            }

            var tags = RunRules.TagsWithName(run.Tags, info.RunName);
            foreach (var tag in tags)
            {
                _runDataWriter.WriteTag(transaction, runKey, tag);
            }

            return new Run(info, new RunData([], [], tags), []);
        }, cancellationToken);

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            var row = FindRun(connection, null, runId) ?? throw RunNotFound(runId);
            return RunDataLoader.Load(connection, null, [row])[0];
        }, cancellationToken);

    public Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var row = RequireActiveRun(transaction, runId);
            var info = RunRules.Apply(row.Info, update);
            if (RunRules.Renames(update))
            {
                _runDataWriter.WriteTag(transaction, row.RunKey, new Tag(RunRules.RunNameTag, info.RunName));
            }

            using var command = Command(transaction, "UPDATE runs SET status = $status, end_time = $end, name = $name WHERE run_key = $key",
                ("$status", info.Status.ToWire()), ("$end", info.EndTime), ("$name", info.RunName), ("$key", row.RunKey));
            command.ExecuteNonQuery();
            return info;
        }, cancellationToken);

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) =>
        MoveRunAsync(runId, LifecycleStage.Deleted, cancellationToken);

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) =>
        MoveRunAsync(runId, LifecycleStage.Active, cancellationToken);

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            _runDataWriter.Write(transaction, _runDataWriter.RequireActiveRunKey(transaction, runId), runId, metrics, @params, tags);
        }, cancellationToken);

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            var row = RequireActiveRun(transaction, runId);
            using var command = Command(transaction, "DELETE FROM tags WHERE run_key = $key AND key = $tag", ("$key", row.RunKey), ("$tag", key));
            if (command.ExecuteNonQuery() == 0)
            {
                throw KeelException.NotFound($"No tag with name: {key} in run with id {runId}");
            }
        }, cancellationToken);

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Metric>>(connection =>
        {
            var row = FindRun(connection, null, runId) ?? throw RunNotFound(runId);
            using var count = Command(connection, "SELECT COUNT(*) FROM metrics WHERE run_key = $run AND key = $key", ("$run", row.RunKey), ("$key", metricKey));
            var points = new List<Metric>((int)(long)count.ExecuteScalar()!);
            // The primary key is (run, key, step, timestamp, value): this walks the index in order.
            using var command = Command(connection,
                "SELECT step, timestamp, value, is_nan FROM metrics WHERE run_key = $run AND key = $key ORDER BY step, timestamp, value",
                ("$run", row.RunKey), ("$key", metricKey));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                points.Add(new Metric(metricKey, RowReaders.ReadMetricValue(reader, 2, 3), reader.GetInt64(1), reader.GetInt64(0)));
            }

            return points;
        }, cancellationToken);

    public Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            var translator = new RunSearchSql(SqliteDialect.Instance);
            using var command = connection.CreateCommand();
            command.CommandText = translator.Build(query);
            translator.Parameters.Bind(command);
            var rows = RowReaders.ReadAll(command, TrackingRows.ReadRun, Math.Min(query.MaxResults + 1, 1024));

            var hasMore = Overfetch.TrimToPage(rows, query.MaxResults);

            return new Page<Run>(RunDataLoader.Load(connection, null, rows), hasMore);
        }, cancellationToken);

    private Task MoveRunAsync(string runId, LifecycleStage to, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            // Runs accept the same-state move so a retried delete or restore succeeds (see LifecycleTransitions).
            var row = FindRun(_writer, transaction, runId) ?? throw RunNotFound(runId);
            using var command = Command(transaction, "UPDATE runs SET lifecycle_stage = $stage WHERE run_key = $key", ("$stage", to.ToWire()), ("$key", row.RunKey));
            command.ExecuteNonQuery();
        }, cancellationToken);

    private RunRow RequireActiveRun(SqliteTransaction transaction, string runId)
    {
        var row = FindRun(_writer, transaction, runId) ?? throw RunNotFound(runId);
        row.Info.LifecycleStage.EnsureRunActive(runId);
        return row;
    }

    private static RunRow? FindRun(SqliteConnection connection, SqliteTransaction? transaction, string runId)
    {
        using var command = Command(connection, $"{SelectRun} WHERE r.run_id = $id", ("$id", runId));
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        return reader.Read() ? TrackingRows.ReadRun(reader) : null;
    }

    private static KeelException RunNotFound(string runId) => KeelException.NotFound($"Run with id={runId} not found");
}
