using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Pipelines;
using Keel.Storage.Sql;

namespace Keel.Storage.Pipelines;

/// <summary>
/// The pipeline store's SQL, written once for SQLite and PostgreSQL over ADO.NET (as
/// <see cref="Monitoring.AlertRecords"/> is). Every run or step change reads the row's state under
/// the row lock, checks it against <see cref="PipelineTransitions"/> and appends its event in the
/// same transaction. What differs between the databases is passed in: the row locks (SQLite's one
/// writer serialises already), the locks that keep the event feed's and the logs' sequences in
/// commit order, and whose clock decides whether a lease is live.
/// </summary>
internal sealed class PipelineRecords : PortableSql
{
    private const string RunColumns =
        "id, pipeline, pipeline_version, state, trigger_kind, trigger_name, trigger_detail, trigger_actor, parameters, dedupe_key, mlflow_run_id, created_time, started_time, finished_time, error, version";

    private const string StepColumns =
        "run_id, step, state, attempt, cache_key, cached_from, outputs, mlflow_run_id, job_id, started_time, finished_time, error, version";

    private const string EventColumns = "seq, run_id, pipeline, step, state, message, time";

    private const string LogColumns = "seq, run_id, step, attempt, time, line";

    private const string CacheColumns = "cache_key, pipeline, step, run_id, outputs, created_time";

    private const string TriggerColumns = "pipeline, trigger_name, cursor_value, pending_until, pending_detail, fired, updated_time";

    private static readonly string QueuedOrRunningSteps =
        "('" + PipelineTransitions.Name(StepRunState.Queued) + "', '" + PipelineTransitions.Name(StepRunState.Running) + "', '" + PipelineTransitions.Name(StepRunState.WaitingForApproval) + "')";

    private readonly string _updateLock;
    private readonly string _shareLock;
    private readonly string _eventLock;
    private readonly string _logLock;
    private readonly string? _databaseNow;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    /// <param name="rowLocks">True to lock the rows a change reads (PostgreSQL); SQLite's one writer serialises already.</param>
    /// <param name="eventLock">A statement run before an event sequence is taken, so sequences commit in order; or empty.</param>
    /// <param name="logLock">The same for log lines; or empty.</param>
    /// <param name="databaseNow">SQL for the database's clock in Unix milliseconds, or null to use <paramref name="time"/> for leases.</param>
    /// <param name="time">The clock for timestamps.</param>
    public PipelineRecords(bool namedParameters, bool rowLocks, string eventLock, string logLock, string? databaseNow, TimeProvider time)
        : base(namedParameters)
    {
        _updateLock = rowLocks ? " FOR UPDATE" : string.Empty;
        _shareLock = rowLocks ? " FOR SHARE" : string.Empty;
        _eventLock = eventLock;
        _logLock = logLock;
        _databaseNow = databaseNow;
        _time = time;
    }

    public async Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(
        DbConnection connection, DbTransaction transaction, string name, string source, string hash, int? expectedVersion, CancellationToken cancellationToken)
    {
        var current = await LockPipelineAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        var now = Now();
        if (current is null && expectedVersion is null or 0)
        {
            // Another writer may create it first: then this apply goes on as a change to theirs.
            var inserted = await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO pipelines (name, version, created_time, updated_time) VALUES ($1, 0, $2, $2) ON CONFLICT (name) DO NOTHING", name, now).ConfigureAwait(false);
            current = inserted == 1 ? null : await LockPipelineAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        }

        var latest = current is null || current.Version == 0 ? null : current;
        if (expectedVersion is { } expected && (latest?.Version ?? 0) != expected)
        {
            var found = latest is null ? "does not exist" : string.Create(CultureInfo.InvariantCulture, $"is at version {latest.Version}");
            throw new KeelException(ErrorCode.ResourceConflict, string.Create(
                CultureInfo.InvariantCulture, $"Pipeline '{name}' {found}, not version {expected}; the definition was not applied."));
        }

        if (latest is not null && latest.Hash == hash)
        {
            return (latest, false);
        }

        var version = (latest?.Version ?? 0) + 1;
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO pipeline_versions (name, version, source, hash, created_time) VALUES ($1, $2, $3, $4, $5)", name, (long)version, source, hash, now).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE pipelines SET version = $2, updated_time = $3 WHERE name = $1", name, (long)version, now).ConfigureAwait(false);
        return ((await GetPipelineAsync(connection, transaction, name, null, cancellationToken).ConfigureAwait(false))!, true);
    }

    public async Task<Pipeline?> GetPipelineAsync(DbConnection connection, DbTransaction? transaction, string name, int? version, CancellationToken cancellationToken)
    {
        var rows = version is { } v
            ? await ListAsync(
                connection, transaction, cancellationToken, ReadPipeline,
                "SELECT p.name, v.version, v.source, v.hash, p.created_time, v.created_time FROM pipelines p JOIN pipeline_versions v ON v.name = p.name WHERE p.name = $1 AND v.version = $2",
                name, (long)v).ConfigureAwait(false)
            : await ListAsync(
                connection, transaction, cancellationToken, ReadPipeline,
                "SELECT p.name, p.version, v.source, v.hash, p.created_time, p.updated_time FROM pipelines p JOIN pipeline_versions v ON v.name = p.name AND v.version = p.version WHERE p.name = $1",
                name).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, transaction, cancellationToken, ReadPipeline,
            "SELECT p.name, p.version, v.source, v.hash, p.created_time, p.updated_time FROM pipelines p JOIN pipeline_versions v ON v.name = p.name AND v.version = p.version ORDER BY p.name").ConfigureAwait(false);

    public async Task<CreatedPipelineRun> CreateRunAsync(DbConnection connection, DbTransaction transaction, NewPipelineRun run, LeaseFence? fence, CancellationToken cancellationToken)
    {
        await CheckFenceAsync(connection, transaction, fence, _databaseNow, Now(), "pipeline run", cancellationToken).ConfigureAwait(false);

        // The pipeline's row lock serialises creates of its runs, so one dedupe key yields one run.
        var pipeline = await LockPipelineAsync(connection, transaction, run.Pipeline, cancellationToken).ConfigureAwait(false);
        if (pipeline is null || pipeline.Version == 0)
        {
            throw KeelException.NotFound($"Pipeline '{run.Pipeline}' does not exist.");
        }

        if (run.PipelineVersion < 1 || run.PipelineVersion > pipeline.Version)
        {
            throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Pipeline '{run.Pipeline}' has no version {run.PipelineVersion} (its latest is {pipeline.Version})."));
        }

        if (run.IdempotencyKey is { } idempotencyKey
            && await FindRunAsync(connection, transaction, "idempotency_key = $1", cancellationToken, idempotencyKey).ConfigureAwait(false) is { } repeated)
        {
            return new CreatedPipelineRun(repeated, false);
        }

        if (run.DedupeKey is { } dedupeKey
            && await FindRunAsync(connection, transaction, "pipeline = $1 AND active_dedupe = $2", cancellationToken, run.Pipeline, dedupeKey).ConfigureAwait(false) is { } active)
        {
            return new CreatedPipelineRun(active, false);
        }

        var now = Now();
        var queued = PipelineTransitions.Name(PipelineRunState.Queued);
        var id = Convert.ToInt64(await ScalarAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO pipeline_runs (pipeline, pipeline_version, state, trigger_kind, trigger_name, trigger_detail, trigger_actor, parameters, dedupe_key, active_dedupe, idempotency_key, created_time, version) "
            + "VALUES ($1, $2, $3, $4, CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), $8, CAST($9 AS TEXT), CAST($9 AS TEXT), CAST($10 AS TEXT), $11, 1) RETURNING id",
            run.Pipeline, (long)run.PipelineVersion, queued, run.Trigger.Kind, run.Trigger.Name, run.Trigger.Detail, run.Trigger.Actor,
            WriteMap(run.Parameters), run.DedupeKey, run.IdempotencyKey, now).ConfigureAwait(false), CultureInfo.InvariantCulture);
        for (var i = 0; i < run.Steps.Count; i++)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO pipeline_steps (run_id, step, ord, state, attempt, outputs, version) VALUES ($1, $2, $3, $4, 0, '{}', 1)",
                id, run.Steps[i], (long)i, queued).ConfigureAwait(false);
        }

        await AppendEventAsync(connection, transaction, id, run.Pipeline, null, queued, "triggered by " + run.Trigger.Kind, now, cancellationToken).ConfigureAwait(false);
        return new CreatedPipelineRun((await FindRunAsync(connection, transaction, "id = $1", cancellationToken, id).ConfigureAwait(false))!, true);
    }

    public async Task<PipelineRun> TryStartRunAsync(DbConnection connection, DbTransaction transaction, long runId, int limit, string? mlflowRunId, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(connection, transaction, "id = $1", cancellationToken, runId).ConfigureAwait(false) ?? throw RunNotFound(runId);

        // Starts of one pipeline's runs queue on its row, so two replicas never both take the last slot.
        await LockPipelineAsync(connection, transaction, run.Pipeline, cancellationToken).ConfigureAwait(false);
        run = (await FindRunAsync(connection, transaction, "id = $1", cancellationToken, runId).ConfigureAwait(false))!;
        if (run.State != PipelineRunState.Queued)
        {
            return run;
        }

        var running = PipelineTransitions.Name(PipelineRunState.Running);
        var busy = Convert.ToInt64(await ScalarAsync(
            connection, transaction, cancellationToken, "SELECT COUNT(*) FROM pipeline_runs WHERE pipeline = $1 AND state = $2", run.Pipeline, running).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (busy >= limit)
        {
            return run;
        }

        var now = Now();
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE pipeline_runs SET state = $2, started_time = $3, mlflow_run_id = COALESCE(CAST($4 AS TEXT), mlflow_run_id), version = version + 1 WHERE id = $1",
            runId, running, now, mlflowRunId).ConfigureAwait(false);
        await AppendEventAsync(connection, transaction, runId, run.Pipeline, null, running, null, now, cancellationToken).ConfigureAwait(false);
        return (await FindRunAsync(connection, transaction, "id = $1", cancellationToken, runId).ConfigureAwait(false))!;
    }

    public async Task<PipelineRun> FinishRunAsync(DbConnection connection, DbTransaction transaction, long runId, PipelineRunState to, string? error, CancellationToken cancellationToken)
    {
        if (!PipelineTransitions.IsFinal(to))
        {
            throw KeelException.InvalidParameter($"Invalid state '{PipelineTransitions.Name(to)}': a run ends as succeeded, failed or cancelled.");
        }

        var run = await FindRunAsync(connection, transaction, "id = $1" + _updateLock, cancellationToken, runId).ConfigureAwait(false) ?? throw RunNotFound(runId);
        if (!PipelineTransitions.IsAllowed(run.State, to))
        {
            throw new KeelException(ErrorCode.ResourceConflict, string.Create(
                CultureInfo.InvariantCulture, $"Pipeline run {runId} is {PipelineTransitions.Name(run.State)}; it cannot move to {PipelineTransitions.Name(to)}."));
        }

        var now = Now();
        var state = PipelineTransitions.Name(to);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE pipeline_runs SET state = $2, finished_time = $3, error = CAST($4 AS TEXT), active_dedupe = NULL, version = version + 1 WHERE id = $1",
            runId, state, now, error).ConfigureAwait(false);
        await AppendEventAsync(connection, transaction, runId, run.Pipeline, null, state, error, now, cancellationToken).ConfigureAwait(false);

        // Its unfinished steps end with it, so no worker starts or records them afterwards.
        var steps = await ListAsync(
            connection, transaction, cancellationToken, ReadStep,
            "SELECT " + StepColumns + " FROM pipeline_steps WHERE run_id = $1 AND state IN " + QueuedOrRunningSteps + " ORDER BY ord" + _updateLock, runId).ConfigureAwait(false);
        foreach (var step in steps)
        {
            var end = step.State == StepRunState.Queued && to != PipelineRunState.Cancelled ? StepRunState.Skipped : StepRunState.Cancelled;
            var why = "the run " + state;
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE pipeline_steps SET state = $3, finished_time = $4, error = $5, version = version + 1 WHERE run_id = $1 AND step = $2",
                runId, step.Step, PipelineTransitions.Name(end), now, why).ConfigureAwait(false);
            await AppendEventAsync(connection, transaction, runId, run.Pipeline, step.Step, PipelineTransitions.Name(end), why, now, cancellationToken).ConfigureAwait(false);
        }

        return (await FindRunAsync(connection, transaction, "id = $1", cancellationToken, runId).ConfigureAwait(false))!;
    }

    public Task<PipelineRun?> GetRunAsync(DbConnection connection, DbTransaction? transaction, long runId, CancellationToken cancellationToken) =>
        FindRunAsync(connection, transaction, "id = $1", cancellationToken, runId);

    public async Task<IReadOnlyList<PipelineRun>> ListRunsAsync(DbConnection connection, DbTransaction? transaction, PipelineRunQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT " + RunColumns + " FROM pipeline_runs WHERE 1 = 1");
        var values = new List<object?>();
        if (query.Pipeline is { } pipeline)
        {
            values.Add(pipeline);
            sql.Append(CultureInfo.InvariantCulture, $" AND pipeline = ${values.Count}");
        }

        if (query.States is { Count: > 0 } states)
        {
            var names = new List<string>();
            foreach (var state in states.Distinct())
            {
                values.Add(PipelineTransitions.Name(state));
                names.Add("$" + values.Count.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(" AND state IN (").Append(string.Join(", ", names)).Append(')');
        }

        if (query.BeforeId is { } before)
        {
            values.Add(before);
            sql.Append(CultureInfo.InvariantCulture, $" AND id < ${values.Count}");
        }

        values.Add((long)query.MaxResults);
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY id DESC LIMIT ${values.Count}");
        return await ListAsync(connection, transaction, cancellationToken, ReadRun, sql.ToString(), [.. values]).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StepRun>> GetStepsAsync(DbConnection connection, DbTransaction? transaction, long runId, CancellationToken cancellationToken) =>
        await ListAsync(connection, transaction, cancellationToken, ReadStep, "SELECT " + StepColumns + " FROM pipeline_steps WHERE run_id = $1 ORDER BY ord", runId).ConfigureAwait(false);

    public async Task<StepRun> UpdateStepAsync(DbConnection connection, DbTransaction transaction, StepUpdate u, CancellationToken cancellationToken)
    {
        // The run's row first (shared), then the step's: the order FinishRunAsync takes them in.
        var pipeline = await ScalarAsync(connection, transaction, cancellationToken, "SELECT pipeline FROM pipeline_runs WHERE id = $1" + _shareLock, u.RunId).ConfigureAwait(false) as string
            ?? throw RunNotFound(u.RunId);
        var rows = await ListAsync(
            connection, transaction, cancellationToken, ReadStep, "SELECT " + StepColumns + " FROM pipeline_steps WHERE run_id = $1 AND step = $2" + _updateLock, u.RunId, u.Step).ConfigureAwait(false);
        var step = rows.Count == 0
            ? throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Step '{u.Step}' of pipeline run {u.RunId} does not exist."))
            : rows[0];
        if (step.State != u.From || step.Attempt != u.ExpectedAttempt)
        {
            throw new KeelException(ErrorCode.ResourceConflict, string.Create(
                CultureInfo.InvariantCulture,
                $"Step '{u.Step}' of pipeline run {u.RunId} is {PipelineTransitions.Name(step.State)} at attempt {step.Attempt}, not {PipelineTransitions.Name(u.From)} at attempt {u.ExpectedAttempt}; the change was not applied."));
        }

        if (!PipelineTransitions.IsAllowed(step.State, u.To))
        {
            throw new KeelException(ErrorCode.ResourceConflict, string.Create(
                CultureInfo.InvariantCulture,
                $"Step '{u.Step}' of pipeline run {u.RunId} is {PipelineTransitions.Name(step.State)} at attempt {step.Attempt}; it cannot move to {PipelineTransitions.Name(u.To)}."));
        }

        var now = Now();
        var final = PipelineTransitions.IsFinal(u.To);
        var to = PipelineTransitions.Name(u.To);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE pipeline_steps SET state = $3, attempt = $4, cache_key = COALESCE(CAST($5 AS TEXT), cache_key), cached_from = COALESCE($6, cached_from), outputs = COALESCE(CAST($7 AS TEXT), outputs), "
            + "mlflow_run_id = COALESCE(CAST($8 AS TEXT), mlflow_run_id), job_id = COALESCE($9, job_id), error = COALESCE(CAST($10 AS TEXT), error), "
            + "started_time = CASE WHEN $11 = 1 THEN $12 ELSE started_time END, finished_time = CASE WHEN $13 = 1 THEN $12 ELSE finished_time END, version = version + 1 "
            + "WHERE run_id = $1 AND step = $2",
            u.RunId, u.Step, to, (long)(u.Attempt ?? step.Attempt), u.CacheKey, u.CachedFrom, u.Outputs is null ? null : WriteMap(u.Outputs),
            u.MlflowRunId, u.JobId, u.Error, u.To == StepRunState.Running ? 1L : 0L, now, final ? 1L : 0L).ConfigureAwait(false);
        var message = u.Error ?? (u.To == StepRunState.Cached && u.CachedFrom is { } from ? string.Create(CultureInfo.InvariantCulture, $"outputs of run {from}") : null);
        await AppendEventAsync(connection, transaction, u.RunId, pipeline, u.Step, to, message, now, cancellationToken).ConfigureAwait(false);
        return (await ListAsync(
            connection, transaction, cancellationToken, ReadStep, "SELECT " + StepColumns + " FROM pipeline_steps WHERE run_id = $1 AND step = $2", u.RunId, u.Step).ConfigureAwait(false))[0];
    }

    public async Task AppendLogAsync(DbConnection connection, DbTransaction transaction, long runId, string step, int attempt, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, cancellationToken, "SELECT 1 FROM pipeline_steps WHERE run_id = $1 AND step = $2", runId, step).ConfigureAwait(false) is null)
        {
            throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Step '{step}' of pipeline run {runId} does not exist."));
        }

        if (lines.Count == 0)
        {
            return;
        }

        var seq = await NextSequenceAsync(connection, transaction, _logLock, "pipeline_step_logs", cancellationToken).ConfigureAwait(false);
        var now = Now();
        foreach (var line in lines)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO pipeline_step_logs (seq, run_id, step, attempt, time, line) VALUES ($1, $2, $3, $4, $5, $6)",
                seq++, runId, step, (long)attempt, now, line).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<StepLogLine>> ListLogAsync(DbConnection connection, DbTransaction? transaction, long runId, string? step, long afterSeq, int maxResults, CancellationToken cancellationToken) =>
        step is null
            ? await ListAsync(
                connection, transaction, cancellationToken, ReadLog,
                "SELECT " + LogColumns + " FROM pipeline_step_logs WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", runId, afterSeq, (long)maxResults).ConfigureAwait(false)
            : await ListAsync(
                connection, transaction, cancellationToken, ReadLog,
                "SELECT " + LogColumns + " FROM pipeline_step_logs WHERE run_id = $1 AND step = $2 AND seq > $3 ORDER BY seq LIMIT $4", runId, step, afterSeq, (long)maxResults).ConfigureAwait(false);

    public async Task<StepCacheEntry?> FindCacheAsync(DbConnection connection, DbTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadCache, "SELECT " + CacheColumns + " FROM pipeline_cache WHERE cache_key = $1", key).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<StepCacheEntry> PutCacheAsync(DbConnection connection, DbTransaction transaction, StepCacheEntry entry, CancellationToken cancellationToken)
    {
        // The first writer's entry stays: a later run with the same key computed the same outputs.
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO pipeline_cache (cache_key, pipeline, step, run_id, outputs, created_time) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (cache_key) DO NOTHING",
            entry.Key, entry.Pipeline, entry.Step, entry.RunId, WriteMap(entry.Outputs), entry.CreatedAt).ConfigureAwait(false);
        return (await FindCacheAsync(connection, transaction, entry.Key, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(DbConnection connection, DbTransaction? transaction, long afterSeq, long? runId, int maxResults, CancellationToken cancellationToken) =>
        runId is { } id
            ? await ListAsync(
                connection, transaction, cancellationToken, ReadEvent,
                "SELECT " + EventColumns + " FROM pipeline_events WHERE seq > $1 AND run_id = $2 ORDER BY seq LIMIT $3", afterSeq, id, (long)maxResults).ConfigureAwait(false)
            : await ListAsync(
                connection, transaction, cancellationToken, ReadEvent,
                "SELECT " + EventColumns + " FROM pipeline_events WHERE seq > $1 ORDER BY seq LIMIT $2", afterSeq, (long)maxResults).ConfigureAwait(false);

    public async Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(DbConnection connection, DbTransaction? transaction, string pipeline, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, transaction, cancellationToken, ReadTrigger,
            "SELECT " + TriggerColumns + " FROM pipeline_triggers WHERE pipeline = $1 ORDER BY trigger_name", pipeline).ConfigureAwait(false);

    public async Task SaveTriggerStateAsync(DbConnection connection, DbTransaction transaction, TriggerState s, LeaseFence? fence, CancellationToken cancellationToken)
    {
        await CheckFenceAsync(connection, transaction, fence, _databaseNow, Now(), "trigger state", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO pipeline_triggers (" + TriggerColumns + ") VALUES ($1, $2, CAST($3 AS TEXT), $4, CAST($5 AS TEXT), $6, $7) "
            + "ON CONFLICT (pipeline, trigger_name) DO UPDATE SET cursor_value = excluded.cursor_value, pending_until = excluded.pending_until, "
            + "pending_detail = excluded.pending_detail, fired = excluded.fired, updated_time = excluded.updated_time",
            s.Pipeline, s.Trigger, s.Cursor, s.PendingUntil, s.PendingDetail, s.Fired, s.UpdatedAt).ConfigureAwait(false);
    }

    private static KeelException RunNotFound(long runId) =>
        KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Pipeline run {runId} does not exist."));

    private static string WriteMap(IReadOnlyDictionary<string, string> map)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            sorted[key] = value;
        }

        return JsonSerializer.Serialize(sorted, PipelineJson.Default.StringMap);
    }

    private static Dictionary<string, string> ReadMap(string json) =>
        JsonSerializer.Deserialize(json, PipelineJson.Default.StringDictionary)
        ?? throw new KeelException(ErrorCode.InternalError, "A stored pipeline map is null.");

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Long(r, ordinal);

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static Pipeline ReadPipeline(DbDataReader r) =>
        new(r.GetString(0), (int)Long(r, 1), r.GetString(2), r.GetString(3), Long(r, 4), Long(r, 5));

    private static PipelineRun ReadRun(DbDataReader r) => new(
        Long(r, 0), r.GetString(1), (int)Long(r, 2), RunState(r.GetString(3)),
        new PipelineTrigger(r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7)),
        ReadMap(r.GetString(8)), Text(r, 9), Text(r, 10), Long(r, 11), NullableLong(r, 12), NullableLong(r, 13), Text(r, 14), Long(r, 15));

    private static StepRun ReadStep(DbDataReader r) => new(
        Long(r, 0), r.GetString(1), StepState(r.GetString(2)), (int)Long(r, 3), Text(r, 4), NullableLong(r, 5), ReadMap(r.GetString(6)),
        Text(r, 7), NullableLong(r, 8), NullableLong(r, 9), NullableLong(r, 10), Text(r, 11), Long(r, 12));

    private static PipelineEvent ReadEvent(DbDataReader r) =>
        new(Long(r, 0), Long(r, 1), r.GetString(2), Text(r, 3), r.GetString(4), Text(r, 5), Long(r, 6));

    private static StepLogLine ReadLog(DbDataReader r) =>
        new(Long(r, 0), Long(r, 1), r.GetString(2), (int)Long(r, 3), Long(r, 4), r.GetString(5));

    private static StepCacheEntry ReadCache(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Long(r, 3), ReadMap(r.GetString(4)), Long(r, 5));

    private static TriggerState ReadTrigger(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Text(r, 2), NullableLong(r, 3), Text(r, 4), Long(r, 5), Long(r, 6));

    private static PipelineRunState RunState(string name) =>
        PipelineTransitions.ParseRunState(name) ?? throw new KeelException(ErrorCode.InternalError, $"Stored pipeline run state '{name}' is unknown.");

    private static StepRunState StepState(string name) =>
        PipelineTransitions.ParseStepState(name) ?? throw new KeelException(ErrorCode.InternalError, $"Stored step state '{name}' is unknown.");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // The pipeline's latest version and hash, its row locked for the transaction (version 0: created
    // by this transaction, no definition yet).
    private async Task<Pipeline?> LockPipelineAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, r => (Version: Long(r, 0), Created: Long(r, 1), Updated: Long(r, 2)),
            "SELECT version, created_time, updated_time FROM pipelines WHERE name = $1" + _updateLock, name).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var (version, created, updated) = rows[0];
        return version == 0
            ? new Pipeline(name, 0, string.Empty, string.Empty, created, updated)
            : await GetPipelineAsync(connection, transaction, name, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PipelineRun?> FindRunAsync(DbConnection connection, DbTransaction? transaction, string where, CancellationToken cancellationToken, params object?[] values)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadRun, "SELECT " + RunColumns + " FROM pipeline_runs WHERE " + where, values).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<long> NextSequenceAsync(DbConnection connection, DbTransaction transaction, string sequenceLock, string table, CancellationToken cancellationToken)
    {
        if (sequenceLock.Length > 0)
        {
            await ExecuteAsync(connection, transaction, cancellationToken, sequenceLock).ConfigureAwait(false);
        }

        return Convert.ToInt64(await ScalarAsync(connection, transaction, cancellationToken, "SELECT COALESCE(MAX(seq), 0) + 1 FROM " + table).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task AppendEventAsync(
        DbConnection connection, DbTransaction transaction, long runId, string pipeline, string? step, string state, string? message, long now, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(connection, transaction, _eventLock, "pipeline_events", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO pipeline_events (" + EventColumns + ") VALUES ($1, $2, $3, CAST($4 AS TEXT), $5, CAST($6 AS TEXT), $7)",
            seq, runId, pipeline, step, state, message, now).ConfigureAwait(false);
    }
}
