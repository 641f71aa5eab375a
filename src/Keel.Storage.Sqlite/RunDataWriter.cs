using Keel.Core.Errors;
using Keel.Core.Tracking;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The hot write path of LogBatch on the single writer connection. Commands are created once and
/// reused with new parameter values, so SQLite prepares each statement once per store. Callers hold
/// the write lock and pass the open transaction.
/// </summary>
internal sealed class RunDataWriter : IDisposable
{
    private readonly MetricPointInserter _insertPoints;
    private readonly SqliteCommand _upsertLatest;
    private readonly SqliteCommand _insertParam;
    private readonly SqliteCommand _selectParam;
    private readonly SqliteCommand _upsertTag;
    private readonly SqliteCommand _renameRun;
    private readonly SqliteCommand _findRun;

    public RunDataWriter(SqliteConnection connection)
    {
        _insertPoints = new MetricPointInserter(connection);
        // MLflow's latest-metric rule: greatest (step, timestamp, value); NaN never wins a value tie.
        _upsertLatest = Create(connection, """
            INSERT INTO latest_metrics (run_key, key, value, is_nan, timestamp, step) VALUES ($run, $key, $value, $nan, $ts, $step)
            ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
            WHERE excluded.step > step
               OR (excluded.step = step AND excluded.timestamp > timestamp)
               OR (excluded.step = step AND excluded.timestamp = timestamp AND excluded.is_nan = 0 AND is_nan = 0 AND excluded.value > value)
            """,
            "$run", "$key", "$value", "$nan", "$ts", "$step");
        _insertParam = Create(connection,
            "INSERT INTO params (run_key, key, value) VALUES ($run, $key, $value) ON CONFLICT (run_key, key) DO NOTHING",
            "$run", "$key", "$value");
        _selectParam = Create(connection, "SELECT value FROM params WHERE run_key = $run AND key = $key", "$run", "$key");
        _upsertTag = Create(connection,
            "INSERT INTO tags (run_key, key, value) VALUES ($run, $key, $value) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value",
            "$run", "$key", "$value");
        _renameRun = Create(connection, "UPDATE runs SET name = $value WHERE run_key = $run", "$run", "$value");
        _findRun = Create(connection, "SELECT run_key, lifecycle_stage FROM runs WHERE run_id = $id", "$id");
    }

    /// <summary>
    /// The internal key of an active run, or RESOURCE_DOES_NOT_EXIST / INVALID_PARAMETER_VALUE.
    /// Every log call starts here, so the lookup is one reused prepared statement.
    /// </summary>
    public long RequireActiveRunKey(SqliteTransaction transaction, string runId)
    {
        _findRun.Transaction = transaction;
        _findRun.Parameters[0].Value = runId;
        using var reader = _findRun.ExecuteReader();
        if (!reader.Read())
        {
            throw KeelException.NotFound($"Run with id={runId} not found");
        }

        LifecycleStages.Parse(reader.GetString(1)).EnsureRunActive(runId);
        return reader.GetInt64(0);
    }

    public void Write(SqliteTransaction transaction, long runKey, string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags)
    {
        foreach (var param in @params)
        {
            WriteParam(transaction, runKey, runId, param);
        }

        if (metrics.Count > 0)
        {
            WriteMetrics(transaction, runKey, metrics);
        }

        foreach (var tag in tags)
        {
            WriteTag(transaction, runKey, tag);
        }
    }

    public void WriteTag(SqliteTransaction transaction, long runKey, Tag tag)
    {
        Execute(_upsertTag, transaction, runKey, tag.Key, tag.Value);
        if (tag.Key == RunRules.RunNameTag)
        {
            // The run name and its mlflow.runName tag are one fact in MLflow; keep them together.
            _renameRun.Transaction = transaction;
            _renameRun.Parameters[0].Value = runKey;
            _renameRun.Parameters[1].Value = tag.Value;
            _renameRun.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _insertPoints.Dispose();
        _upsertLatest.Dispose();
        _insertParam.Dispose();
        _selectParam.Dispose();
        _upsertTag.Dispose();
        _renameRun.Dispose();
        _findRun.Dispose();
    }

    private void WriteParam(SqliteTransaction transaction, long runKey, string runId, Param param)
    {
        if (Execute(_insertParam, transaction, runKey, param.Key, param.Value) == 1)
        {
            return;
        }

        _selectParam.Transaction = transaction;
        _selectParam.Parameters[0].Value = runKey;
        _selectParam.Parameters[1].Value = param.Key;
        var existing = (string)_selectParam.ExecuteScalar()!;
        if (existing != param.Value)
        {
            throw KeelException.InvalidParameter(
                $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' "
                + $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
        }
    }

    private void WriteMetrics(SqliteTransaction transaction, long runKey, IReadOnlyList<Metric> metrics)
    {
        _insertPoints.Insert(runKey, metrics);

        var upsert = _upsertLatest.Parameters;
        _upsertLatest.Transaction = transaction;
        upsert[0].Value = runKey;
        foreach (var metric in LatestMetrics.Candidates(metrics))
        {
            var isNan = double.IsNaN(metric.Value);
            upsert[1].Value = metric.Key;
            upsert[2].Value = isNan ? 0.0 : metric.Value;
            upsert[3].Value = isNan ? 1L : 0L;
            upsert[4].Value = metric.Timestamp;
            upsert[5].Value = metric.Step;
            _upsertLatest.ExecuteNonQuery();
        }
    }

    private static int Execute(SqliteCommand command, SqliteTransaction transaction, long runKey, string key, string value)
    {
        command.Transaction = transaction;
        command.Parameters[0].Value = runKey;
        command.Parameters[1].Value = key;
        command.Parameters[2].Value = value;
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        return command;
    }
}
