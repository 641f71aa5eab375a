using System.Globalization;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>
/// A database left by every earlier Keel opens with today's code, keeps its data and ends at the
/// current schema. Each database is built as the older version built it: migration j runs, then
/// data is written with schema j's SQL (not today's stores), for j = 1..k.
/// </summary>
public sealed class MigrationUpgradeTests : IDisposable
{
    private const string Root = "file:///data/artifacts";
    private const string RunId = "0123456789abcdef0123456789abcdef";
    private const string DeletedRunId = "fedcba9876543210fedcba9876543210";

    // Representative rows of what each schema version introduced, in that version's SQL. A new
    // migration needs its entry here (Every_migration_has_representative_data fails until it has one).
    private static readonly Dictionary<int, string> DataWrittenAt = new()
    {
        [1] = $$"""
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (1, 'churn', '{{Root}}/1', 'active', 1700000000000, 1700000000500);
            INSERT INTO experiment_tags (experiment_id, key, value) VALUES (1, 'team', 'growth');
            INSERT INTO runs (run_key, run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
            VALUES (1, '{{RunId}}', 1, 'baseline', 'alice', 'FINISHED', 1700000001000, 1700000009000, '{{Root}}/1/{{RunId}}/artifacts', 'active'),
                   (2, '{{DeletedRunId}}', 1, 'abandoned', 'bob', 'KILLED', 1700000001500, NULL, '{{Root}}/1/{{DeletedRunId}}/artifacts', 'deleted');
            INSERT INTO params (run_key, key, value) VALUES (1, 'lr', '0.1'), (1, 'depth', '6');
            INSERT INTO tags (run_key, key, value) VALUES (1, 'mlflow.runName', 'baseline'), (1, 'mlflow.user', 'alice');
            INSERT INTO metrics (run_key, key, step, timestamp, value, is_nan) VALUES
                (1, 'loss', 0, 1700000002000, 0.9, 0), (1, 'loss', 1, 1700000003000, 0.5, 0), (1, 'loss', 2, 1700000004000, 0, 1);
            INSERT INTO latest_metrics (run_key, key, value, is_nan, timestamp, step) VALUES (1, 'loss', 0, 1, 1700000004000, 2);
            INSERT INTO datasets (dataset_key, experiment_id, name, digest, source_type, source, schema, profile)
            VALUES (1, 1, 'train', 'a1b2c3', 'local', '{{Root}}/train.csv', '{"mlflow_colspec": []}', '{"num_rows": 10}');
            INSERT INTO inputs (input_key, run_key, dataset_key) VALUES (1, 1, 1);
            INSERT INTO input_tags (input_key, key, value) VALUES (1, 'mlflow.data.context', 'training');
            """,
        [2] = $$"""
            INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description, max_version)
            VALUES ('churn-model', 1700000010000, 1700000012000, 'alice', 'predicts churn', 3);
            INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, status, status_message, run_link)
            VALUES ('churn-model', 1, 1700000010000, 1700000011000, 'alice', 'Archived', NULL, 'runs:/{{RunId}}/model', '{{RunId}}', 'READY', NULL, NULL),
                   ('churn-model', 2, 1700000011000, 1700000012000, 'alice', 'Production', 'second try', '{{Root}}/1/{{RunId}}/artifacts/model', '{{RunId}}', 'READY', NULL, '');
            INSERT INTO registered_model_tags (name, key, value) VALUES ('churn-model', 'owner', 'alice');
            INSERT INTO model_version_tags (name, version, key, value) VALUES ('churn-model', 2, 'validated', 'yes');
            INSERT INTO registered_model_aliases (name, alias, version) VALUES ('churn-model', 'champion', 2);
            INSERT INTO registry_events (timestamp, actor, action, model_name, version, before, after)
            VALUES (1700000010000, 'alice', 'create_registered_model', 'churn-model', NULL, NULL, '{"name": "churn-model"}');
            """,
        [3] = """
            INSERT INTO serving_endpoints (name, environment, spec, created_time, updated_time) VALUES ('churn', 'prod',
                '{"name":"churn","environment":"prod","mode":"canary","routes":[{"model_uri":"models:/churn-model/2","weight":50,"role":"primary"},{"model_uri":"models:/churn-model/3","weight":50,"role":"challenger"}],"policy":{"max_error_rate_increase":0.02,"max_p99_latency_ratio":1.5,"p99_latency_slack_ms":5,"max_divergence":0.25,"min_requests":100},"limits":{"max_concurrency":64,"max_batch_rows":5000,"timeout_ms":2000},"rollout":{"id":"r-1","champion_uri":"models:/churn-model/2","challenger_uri":"models:/churn-model/3","steps":[10,50,100],"step_index":1,"hold_requests":500,"state":"running","started_at":1700000021000,"step_started_at":1700000025000,"history":[{"percent":10,"outcome":"passed","started_at":1700000021000,"ended_at":1700000025000,"comparison":{"champion_requests":4500,"challenger_requests":500,"champion_error_rate":0,"challenger_error_rate":0.002,"champion_p99_ms":3.5,"challenger_p99_ms":3.9,"divergence":0.01}}]},"past_rollouts":[],"created_at":1700000020000,"updated_at":1700000025000}',
                1700000020000, 1700000025000);
            INSERT INTO serving_events (timestamp, actor, action, endpoint, detail, snapshot)
            VALUES (1700000021000, 'carol', 'rollout.start', 'churn', 'models:/churn-model/3', NULL);
            """,
        [4] = $$"""
            INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description, max_version)
            VALUES ('churn-copy', 1700000030000, 1700000030000, 'dave', NULL, 1);
            INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, status, status_message, run_link, storage_location)
            VALUES ('churn-copy', 1, 1700000030000, 1700000030000, 'dave', 'None', NULL, 'models:/churn-model/2', '{{RunId}}', 'READY', NULL, NULL, '{{Root}}/1/{{RunId}}/artifacts/model');
            """,
        [5] = """
            INSERT INTO serving_endpoints (name, environment, spec, created_time, updated_time) VALUES ('fraud', 'staging',
                '{"v":1,"name":"fraud","environment":"staging","mode":"shadow","routes":[{"model_uri":"models:/fraud/1","weight":100,"role":"primary"},{"model_uri":"models:/fraud/2","weight":0,"role":"shadow"}],"policy":{"max_error_rate_increase":0.01,"max_p99_latency_ratio":2,"p99_latency_slack_ms":5,"max_divergence":0.2,"min_requests":50},"limits":{"max_concurrency":256,"max_batch_rows":10000,"timeout_ms":10000},"past_rollouts":[],"created_at":1700000040000,"updated_at":1700000041000}',
                1700000040000, 1700000041000);
            INSERT INTO registry_events (timestamp, actor, action, model_name, version, before, after)
            VALUES (1700000042000, 'erin', 'transition_model_version_stage', 'fraud-model', '1',
                '{"v":1,"version":{"name":"fraud-model","version":1,"created":1700000040000,"updated":1700000040000,"stage":"None","source":"s3://b/m","status":"READY","tags":[],"aliases":[]}}',
                '{"v":1,"version":{"name":"fraud-model","version":1,"created":1700000040000,"updated":1700000042000,"stage":"Staging","source":"s3://b/m","status":"READY","tags":[],"aliases":[]}}');
            """,
        [6] = """
            INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, idempotency_key, not_before, created_at, updated_at, lease_owner, lease_token, lease_expires_at, result, last_error, finished_at)
            VALUES (1, 'batch-score', '{"part":0}', 'succeeded', 1, 3, 'batch-7/part-0', 1700000050000, 1700000050000, 1700000051000, 'worker-a', NULL, NULL, '{"rows":100}', NULL, 1700000051000),
                   (2, 'batch-score', '{"part":1}', 'queued', 1, 3, 'batch-7/part-1', 1700000053000, 1700000050000, 1700000052000, 'worker-b', NULL, NULL, NULL, 'out of memory', NULL);
            """,
        [7] = """
            INSERT INTO serving_changes (endpoint, version, changed_at) VALUES ('fraud', 1, 1700000050000);
            INSERT INTO leases (name, holder, epoch, expires_at) VALUES ('rollout-controller', 'replica-a', 3, 1700000060000);
            INSERT INTO serving_stats (endpoint, rollout_id, step_index, model_uri, role, replica, requests, errors, latency, samples, updated_at)
            VALUES ('churn', 'r-1', 1, 'models:/churn-model/3', 'challenger', 'replica-a', 40, 1, '[0,40]', '[0.5]', 1700000051000);
            """,
        [8] = """
            INSERT INTO versioned_datasets (name, description, created_time, updated_time, latest_version, suite) VALUES ('iris', 'Fisher', 1700000070000, 1700000071000, 1, NULL);
            INSERT INTO dataset_versions (name, version, manifest_digest, format, file_count, size_bytes, row_count, schema_json, profile, validation, source, description, created_time, created_by)
            VALUES ('iris', 1, 'ab12', 'csv', 1, 4551, 150, '[]', '{}', NULL, '/data/iris.csv', NULL, 1700000070000, 'alice');
            INSERT INTO dataset_aliases (name, alias, version) VALUES ('iris', 'production', 1);
            INSERT INTO dataset_events (timestamp, actor, action, dataset, detail) VALUES (1700000070000, 'alice', 'version.add', 'iris', 'version 1');
            """,
        [9] = """
            INSERT INTO monitoring_buckets (endpoint, start_ms, seconds, requests, stats, computed_at, quality)
            VALUES ('churn', 1700000100000, 300, 2, '{"traffic":2}', 1700000400123, '{"accuracy":0.5}');
            INSERT INTO monitoring_predictions (endpoint, request_id, bucket_ms, version, predicted, scores)
            VALUES ('churn', 'req-1', 1700000100000, '3', '1', '[0.1,0.9]'), ('churn', 'req-2', 1700000100000, '3', '0', NULL);
            INSERT INTO monitoring_labels (endpoint, request_id, label, received_at, replaced, pending)
            VALUES ('churn', 'req-1', '1', 1700000500000, 1, 1), ('churn', 'req-9', '0', 1700000500000, 0, 0);
            INSERT INTO monitoring_settings (endpoint, reference, drift, updated_at) VALUES ('churn', 'datasets:/iris/1', '{"method":"psi"}', 1700000090000);
            """,
        [10] = """
            INSERT INTO alert_rules (name, endpoint, metric, window_size, warning, critical, direction, min_samples, for_windows, webhooks, enabled, secret, version, created_time, updated_time, updated_by)
            VALUES ('churn-errors', 'churn', 'error_rate', '5m', 0.05, 0.2, 'above', 100, 3, 'https://hooks.example.com/keel', 1, NULL, 1, 1700000080000, 1700000080000, 'alice');
            INSERT INTO alerts (rule, open_rule, endpoint, metric, window_size, state, severity, value, threshold, window_start, window_end, opened_time, firing_time, resolved_time, updated_time, ack_by, ack_time, last_seq)
            VALUES ('churn-errors', 'churn-errors', 'churn', 'error_rate', '5m', 'firing', 'warning', 0.07, 0.05, 1700000000000, 1700000300000, 1700000080000, 1700000081000, NULL, 1700000081000, NULL, NULL, 2);
            INSERT INTO alert_events (seq, alert_id, rule, endpoint, metric, window_size, from_state, to_state, severity, value, threshold, window_start, window_end, time, reason)
            VALUES (1, 1, 'churn-errors', 'churn', 'error_rate', '5m', NULL, 'pending', 'warning', 0.07, 0.05, 1700000000000, 1700000300000, 1700000080000, 'opened'),
                   (2, 1, 'churn-errors', 'churn', 'error_rate', '5m', 'pending', 'firing', 'warning', 0.07, 0.05, 1700000000000, 1700000300000, 1700000081000, 'fired');
            INSERT INTO alert_outbox (seq, rule, url, attempts, next_attempt_at) VALUES (2, 'churn-errors', 'https://hooks.example.com/keel', 1, 1700000090000);
            INSERT INTO alert_deliveries (seq, alert_id, url, attempt, status_code, error, time, outcome) VALUES (1, 1, 'https://hooks.example.com/keel', 1, 200, NULL, 1700000080500, 'delivered');
            """,
        [11] = """
            INSERT INTO pipelines (name, version, created_time, updated_time) VALUES ('retrain', 2, 1700000090000, 1700000091000);
            INSERT INTO pipeline_versions (name, version, source, hash, created_time)
            VALUES ('retrain', 1, 'steps: [train]', 'h1', 1700000090000), ('retrain', 2, 'steps: [train, gate]', 'h2', 1700000091000);
            INSERT INTO pipeline_runs (id, pipeline, pipeline_version, state, trigger_kind, trigger_name, trigger_detail, trigger_actor, parameters, dedupe_key, active_dedupe, idempotency_key,
                                       mlflow_run_id, created_time, started_time, finished_time, error, version)
            VALUES (1, 'retrain', 2, 'running', 'alert', 'on-drift', '{"alert_id":1}', NULL, '{"lr":"0.1"}', 'churn', 'churn', 'alert-1', 'abc', 1700000092000, 1700000092500, NULL, NULL, 2);
            INSERT INTO pipeline_steps (run_id, step, ord, state, attempt, cache_key, cached_from, outputs, mlflow_run_id, job_id, started_time, finished_time, error, version)
            VALUES (1, 'train', 0, 'succeeded', 1, 'k1', NULL, '{"model":"runs:/abc/model"}', 'def', NULL, 1700000092600, 1700000093000, NULL, 3),
                   (1, 'gate', 1, 'queued', 0, NULL, NULL, '{}', NULL, NULL, NULL, NULL, NULL, 1);
            INSERT INTO pipeline_step_logs (seq, run_id, step, attempt, time, line) VALUES (1, 1, 'train', 1, 1700000092700, 'epoch 1');
            INSERT INTO pipeline_cache (cache_key, pipeline, step, run_id, outputs, created_time) VALUES ('k1', 'retrain', 'train', 1, '{"model":"runs:/abc/model"}', 1700000093000);
            INSERT INTO pipeline_events (seq, run_id, pipeline, step, state, message, time)
            VALUES (1, 1, 'retrain', NULL, 'queued', 'triggered by alert', 1700000092000), (2, 1, 'retrain', NULL, 'running', NULL, 1700000092500);
            INSERT INTO pipeline_triggers (pipeline, trigger_name, cursor_value, pending_until, pending_detail, fired, updated_time)
            VALUES ('retrain', 'on-drift', '1', NULL, NULL, 1, 1700000092000);
            """,
        [12] = """
            INSERT INTO users (id, username, password_hash, is_admin, created_time) VALUES (1, 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 1, 1700000095000);
            INSERT INTO api_tokens (id, user_id, name, secret_hash, created_time, expires_at, revoked_at) VALUES ('abcdefghijkl', 1, 'ci', X'00112233', 1700000095100, NULL, NULL);
            INSERT INTO resource_permissions (kind, resource, user_id, permission) VALUES ('experiment', '1', 1, 'MANAGE');
            INSERT INTO user_groups (name, created_time) VALUES ('ml', 1700000095200);
            INSERT INTO group_members (group_name, user_id) VALUES ('ml', 1);
            INSERT INTO role_bindings (principal, environment, role) VALUES ('group:ml', 'prod', 'deployer');
            INSERT INTO governance_changes (id, version) VALUES (1, 5);
            """,
        [13] = """
            INSERT INTO audit_events (seq, time, actor, action, resource_type, resource, environment, approval_id, before, after, previous_hash, hash)
            VALUES (1, 1700000095000, 'alice', 'registered_model.alias.set', 'registered_model', 'churn-model@champion', 'prod', NULL,
                    '{"version":"1"}', '{"version":"2"}', zeroblob(32), X'5CB148C87C5B5C210634972C1EB9452DC7A36530F91C498BCC5AE590DB976D1A');
            """,
        [14] = """
            INSERT INTO environment_policies (name, requires_approval, approval_ttl_seconds, updated_time) VALUES ('staging', 1, 3600, 1700000095000);
            INSERT INTO environment_assignments (kind, resource, environment, updated_time) VALUES ('model_alias', '*@champion', 'prod', 1700000095000);
            INSERT INTO environment_version (id, version) VALUES (1, 2);
            INSERT INTO approvals (id, environment, action, resource, request, evidence, requester, reason, state, created_time, expires_time, decided_by, decided_time, comment, applied_time, result, error, version)
            VALUES (1, 'prod', 'registered_model.alias.set', 'churn-model@champion', '{"name":"churn-model","alias":"champion","version":"2"}', NULL, 'alice', NULL, 'requested', 1700000096000, 4000000000000, NULL, NULL, NULL, NULL, NULL, NULL, 1);
            """,
        [15] = """
            INSERT INTO feature_objects (kind, name, version, definition, live, created_time, updated_time, created_by)
            VALUES ('entity', 'driver', 1, '{"v":1,"join_keys":["driver_id"]}', 1, 1700000097000, 1700000097000, 'alice');
            INSERT INTO feature_catalog (id, revision) VALUES (1, 1);
            INSERT INTO feature_materialization (view_name, view_version, watermark, row_count, updated_time, revision) VALUES ('driver_hourly_stats', 1, 1700000000000, 10, 1700000098000, 1);
            """,
    };

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    public static TheoryData<int> SchemaVersions()
    {
        var data = new TheoryData<int>();
        foreach (var (version, _) in Migrations.All)
        {
            data.Add(version);
        }

        return data;
    }

    [Fact]
    public void Every_migration_has_representative_data()
    {
        Assert.Equal(Migrations.All.Select(m => m.Version), DataWrittenAt.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(SchemaVersions))]
    public async Task A_database_left_at_an_earlier_version_keeps_its_data_and_reaches_the_current_schema(int version)
    {
        var path = _database.NewPath();
        BuildAt(path, version);
        Assert.Equal(version, ReadVersion(path));

        using (var tracking = new SqliteTrackingStore(path, Root))
        {
            await CheckTrackingAsync(tracking);
        }

        using (var registry = new SqliteModelRegistryStore(path))
        {
            if (version >= 2)
            {
                await CheckRegistryAsync(registry);
            }

            if (version >= 5)
            {
                var transition = Assert.Single(await registry.ListEventsAsync("fraud-model", 10));
                Assert.Equal((ModelStage.None, ModelStage.Staging), (transition.Before!.Version!.CurrentStage, transition.After!.Version!.CurrentStage));
            }

            if (version >= 4)
            {
                // A copy keeps the location it was resolved to at registration (migration 4).
                var copy = await registry.GetModelVersionAsync("churn-copy", 1);
                Assert.Equal(("models:/churn-model/2", $"{Root}/1/{RunId}/artifacts/model"), (copy.Source, copy.StorageLocation));
                Assert.Equal(copy.StorageLocation, copy.DownloadUri);
            }
            else
            {
                // The tables arrive empty and usable.
                await registry.CreateRegisteredModelAsync("late", [], null, null);
                var created = await registry.CreateModelVersionAsync(new NewModelVersion("late", "runs:/" + RunId + "/model", RunId, [], null, null, null), null);
                Assert.Equal(1, created.Version);
            }
        }

        using (var serving = new SqliteServingStore(path))
        {
            if (version >= 3)
            {
                // Written in the API's shape before migration 5: converted on the way up.
                await CheckServingAsync(serving);
            }
            else
            {
                Assert.Empty(await serving.ListEndpointsAsync(null));
            }

            if (version >= 5)
            {
                // Written in the storage shape (migration 5): read as it is.
                var fraud = Assert.Single(await serving.ListEndpointsAsync("staging"));
                Assert.Equal((EndpointMode.Shadow, RouteRole.Shadow, 1700000041000L), (fraud.Mode, fraud.Routes[1].Role, fraud.UpdatedAt));
                // Endpoints stored before migration 7 start at revision 1.
                Assert.Equal(1, fraud.Version);
            }

            if (version >= 7)
            {
                Assert.Equal(new ServingChange(1, "fraud", 1), Assert.Single(await serving.ChangesSinceAsync(0, 10)));
                var stats = Assert.Single(await serving.ReadStatsAsync("churn", "r-1"));
                Assert.Equal((40L, 1L, RouteRole.Challenger), (stats.Requests, stats.Errors, stats.Role));
            }
            else
            {
                // The feed starts empty; the first change after the upgrade is sequence 1.
                Assert.Equal(0, await serving.LatestChangeAsync());
            }
        }

        using (var jobs = new SqliteJobQueue(path))
        {
            if (version >= 6)
            {
                var done = (await jobs.GetJobAsync(1))!;
                Assert.Equal((JobState.Succeeded, "batch-7/part-0", "{\"rows\":100}"), (done.State, done.IdempotencyKey, done.Result));
                var retry = (await jobs.GetJobAsync(2))!;
                Assert.Equal((JobState.Queued, 1, "out of memory"), (retry.State, retry.Attempts, retry.LastError));
                Assert.Equal(2, (await jobs.LeaseAsync("w", ["batch-score"], TimeSpan.FromMinutes(1)))!.Job.Id);
            }
            else
            {
                // The table arrives empty and usable.
                var job = await jobs.EnqueueAsync(new NewJob("batch-score", "{}"));
                Assert.Equal(job.Id, (await jobs.LeaseAsync("w", ["batch-score"], TimeSpan.FromMinutes(1)))!.Job.Id);
            }
        }

        using (var monitoring = new SqliteMonitoringStore(path))
        {
            if (version >= 9)
            {
                var bucket = Assert.Single(await monitoring.ListBucketsAsync("churn", DateTimeOffset.FromUnixTimeMilliseconds(1700000100000), DateTimeOffset.FromUnixTimeMilliseconds(1700000100001)));
                Assert.Equal((2L, DateTimeOffset.FromUnixTimeMilliseconds(1700000400123), "{\"accuracy\":0.5}"), (bucket.Requests, bucket.ComputedAt, bucket.Quality));
                Assert.Equal(new LabelSummary(2, 1, 1, 1), await monitoring.LabelSummaryAsync("churn"));
                Assert.Equal([bucket.Start], await monitoring.StaleQualityBucketsAsync("churn"));
                Assert.Equal("datasets:/iris/1", (await monitoring.GetSettingsAsync("churn"))!.Reference);
            }
            else
            {
                // The tables arrive empty and usable.
                Assert.Equal(new FeedbackOutcome(1, 0, 0, 1), await monitoring.AddLabelsAsync("churn", [new FeedbackLabel("req-1", "1")]));
            }
        }

        using (var alerts = new SqliteAlertStore(path))
        {
            if (version >= 10)
            {
                var rule = (await alerts.FindRuleAsync("churn-errors"))!;
                Assert.Equal(("5m", 3, 100L, "https://hooks.example.com/keel"), (rule.Window, rule.For, rule.MinSamples, Assert.Single(rule.Webhooks)));
                var alert = (await alerts.FindAlertAsync(1))!;
                Assert.Equal((Keel.Core.Monitoring.AlertState.Firing, 2L), (alert.State, alert.LastSequence));
                Assert.Equal([1L, 2L], (await alerts.ListEventsAsync(0, 10, null)).Select(e => e.Sequence));
                Assert.Equal("delivered", Assert.Single(await alerts.ListDeliveriesAsync(1)).Outcome);
                Assert.Equal(2L, Assert.Single(await alerts.DueDeliveriesAsync(long.MaxValue, 10)).Event.Sequence);
            }
            else
            {
                // The tables arrive empty and usable.
                Assert.Empty(await alerts.ListRulesAsync(null));
                Assert.Empty(await alerts.ListEventsAsync(0, 10, null));
            }
        }

        using (var pipelines = new SqlitePipelineStore(path))
        {
            if (version >= 11)
            {
                var pipeline = (await pipelines.GetPipelineAsync("retrain"))!;
                Assert.Equal((2, "h2", "steps: [train]"), (pipeline.Version, pipeline.Hash, (await pipelines.GetPipelineAsync("retrain", 1))!.Source));
                var run = (await pipelines.GetRunAsync(1))!;
                Assert.Equal((PipelineRunState.Running, "on-drift", "0.1", "churn"), (run.State, run.Trigger.Name, run.Parameters["lr"], run.DedupeKey));
                Assert.Equal([StepRunState.Succeeded, StepRunState.Queued], (await pipelines.GetStepsAsync(1)).Select(s => s.State));
                Assert.Equal("runs:/abc/model", (await pipelines.FindCacheAsync("k1"))!.Outputs["model"]);
                Assert.Equal("epoch 1", Assert.Single(await pipelines.ListLogAsync(1, null, 0, 10)).Line);
                Assert.Equal([1L, 2L], (await pipelines.ListEventsAsync(0, null, 10)).Select(e => e.Seq));
                Assert.Equal(1L, Assert.Single(await pipelines.GetTriggerStatesAsync("retrain")).Fired);

                // The live dedupe key still holds after the upgrade; the next run id follows the highest.
                Assert.False((await pipelines.CreateRunAsync(new NewPipelineRun("retrain", 2, PipelineTrigger.Manual(), new Dictionary<string, string>(), ["train"], "churn"))).Created);
                Assert.Equal(2L, (await pipelines.CreateRunAsync(new NewPipelineRun("retrain", 2, PipelineTrigger.Manual(), new Dictionary<string, string>(), ["train"]))).Run.Id);
            }
            else
            {
                // The tables arrive empty and usable.
                Assert.Empty(await pipelines.ListPipelinesAsync());
                Assert.True((await pipelines.PutPipelineAsync("retrain", "steps: [train]", "h1", 0)).Changed);
            }
        }

        using (var governance = new SqliteGovernanceStore(path))
        {
            if (version >= 12)
            {
                var credential = (await governance.FindCredentialAsync("alice"))!;
                Assert.Equal((1L, true), (credential.User.Id, credential.User.IsAdmin));
                Assert.StartsWith("$argon2id$", credential.PasswordHash, StringComparison.Ordinal);
                Assert.Equal("alice", (await governance.FindTokenAsync([0x00, 0x11, 0x22, 0x33]))!.Value.User.Username);
                Assert.Equal(Keel.Core.Governance.PermissionLevel.Manage, (await governance.FindPermissionAsync(Keel.Core.Governance.PermissionResource.Experiment, "1", "alice"))!.Permission);
                Assert.Equal(["ml"], await governance.GroupsOfAsync("alice"));
                Assert.Equal(Keel.Core.Governance.EnvironmentRole.Deployer, Assert.Single(await governance.ListRolesAsync()).Role);
                Assert.Equal(5L, await governance.ChangeVersionAsync());

                // The next user's id follows the highest.
                Assert.Equal(2L, (await governance.CreateUserAsync("bob", null, false)).Id);
            }
            else
            {
                // The tables arrive empty and usable.
                Assert.Empty(await governance.ListUsersAsync());
                Assert.Equal(0L, await governance.ChangeVersionAsync());
                Assert.Equal(1L, (await governance.CreateUserAsync("bob", null, false)).Id);
                Assert.Equal(1L, await governance.ChangeVersionAsync());
            }
        }

        using (var audit = new SqliteAuditLog(path))
        {
            // An event written at version 13 still verifies, and the chain goes on from it.
            var expected = version >= 13 ? 1L : 0L;
            Assert.Equal((true, expected), ((await audit.VerifyAsync()).Intact, (await audit.VerifyAsync()).Count));
            var next = await audit.AppendAsync(new Keel.Core.Governance.AuditEntry("bob", "endpoint.create", "endpoint", "churn", null, "{}"));
            Assert.Equal(expected + 1, next.Sequence);
            Assert.True((await audit.VerifyAsync()).Intact);
        }

        using (var environments = new SqliteEnvironmentStore(path))
        {
            if (version >= 14)
            {
                Assert.Equal((true, 3600L), ((await environments.GetPolicyAsync("staging")).RequiresApproval, (await environments.GetPolicyAsync("staging")).ApprovalTtlSeconds));
                Assert.Equal("prod", Assert.Single(await environments.ListAssignmentsAsync()).Environment);
                Assert.Equal(2L, await environments.ChangeVersionAsync());
                Assert.Equal(("alice", Keel.Core.Governance.ApprovalState.Requested), ((await environments.FindApprovalAsync(1))!.Requester, (await environments.FindApprovalAsync(1))!.State));
            }
            else
            {
                // The tables arrive empty and usable, with the default policies.
                Assert.True((await environments.GetPolicyAsync("prod")).RequiresApproval);
                Assert.Empty(await environments.ListAssignmentsAsync());
                Assert.Equal(0L, await environments.ChangeVersionAsync());
            }
        }

        using (var features = new SqliteFeatureRegistry(path))
        {
            var catalog = await features.GetCatalogAsync();
            if (version >= 15)
            {
                Assert.Equal((1L, "driver"), (catalog.Revision, Assert.Single(catalog.Objects).Name));
                Assert.Equal(["driver_id"], ((Keel.Core.Features.FeatureEntity)catalog.Objects[0].Definition).JoinKeys);
                Assert.Equal(1700000000000L, (await features.GetMaterializationAsync("driver_hourly_stats"))!.Watermark);
            }
            else
            {
                Assert.Equal(0L, catalog.Revision);
                Assert.Empty(catalog.Objects);
            }

            var applied = await features.ApplyAsync([new(Keel.Core.Features.FeatureObjectKind.Entity, "customer", new Keel.Core.Features.FeatureEntity("customer", ["customer_id"]), true)], catalog.Revision, "bob");
            Assert.Equal(catalog.Revision + 1, applied.Revision);
        }

        Assert.Equal(Migrations.All[^1].Version, ReadVersion(path));
        Assert.Equal(Migrations.All.Select(m => m.Version.ToString(CultureInfo.InvariantCulture)), ReadColumn(path, "SELECT version FROM schema_version ORDER BY version"));
        // Every stored document carries its storage schema version after the upgrade.
        Assert.All(ReadColumn(path, "SELECT spec FROM serving_endpoints UNION ALL SELECT after FROM registry_events WHERE after IS NOT NULL"),
            json => Assert.StartsWith("{\"v\":1,", json, StringComparison.Ordinal));
        Assert.Equal(["ok"], ReadColumn(path, "PRAGMA integrity_check"));
        Assert.Empty(ReadColumn(path, "PRAGMA foreign_key_check"));
    }

    private static async Task CheckTrackingAsync(SqliteTrackingStore store)
    {
        // The default experiment that migration 1 seeds, and the one written at version 1.
        Assert.Equal("Default", (await store.GetExperimentAsync("0")).Name);
        var experiment = await store.GetExperimentByNameAsync("churn");
        Assert.Equal(("1", $"{Root}/1", LifecycleStage.Active), (experiment.ExperimentId, experiment.ArtifactLocation, experiment.LifecycleStage));
        Assert.Equal((1700000000000, 1700000000500), (experiment.CreationTime, experiment.LastUpdateTime));
        Assert.Contains(new Tag("team", "growth"), experiment.Tags);

        var run = await store.GetRunAsync(RunId);
        Assert.Equal(("baseline", "alice", RunStatus.Finished), (run.Info.RunName, run.Info.UserId, run.Info.Status));
        Assert.Equal((1700000001000L, (long?)1700000009000L), (run.Info.StartTime, run.Info.EndTime));
        Assert.Equal($"{Root}/1/{RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal(["depth=6", "lr=0.1"], run.Data.Params.Select(p => $"{p.Key}={p.Value}").Order());
        Assert.Contains(new Tag("mlflow.user", "alice"), run.Data.Tags);
        var latest = Assert.Single(run.Data.Metrics);
        Assert.True(double.IsNaN(latest.Value));
        Assert.Equal(2, latest.Step);

        var history = await store.GetMetricHistoryAsync(RunId, "loss");
        Assert.Equal([0L, 1L, 2L], history.Select(m => m.Step));
        Assert.Equal(0.9, history[0].Value);
        Assert.True(double.IsNaN(history[2].Value));

        var input = Assert.Single(run.Inputs);
        Assert.Equal(("train", "a1b2c3", "local"), (input.Dataset.Name, input.Dataset.Digest, input.Dataset.SourceType));
        Assert.Equal("""{"num_rows": 10}""", input.Dataset.Profile);
        Assert.Equal(new Tag("mlflow.data.context", "training"), Assert.Single(input.Tags));

        Assert.Equal(LifecycleStage.Deleted, (await store.GetRunAsync(DeletedRunId)).Info.LifecycleStage);

        // New writes continue from the old data: the next experiment id follows the highest.
        Assert.Equal("2", await store.CreateExperimentAsync("after-upgrade", null, []));
    }

    private static async Task CheckRegistryAsync(SqliteModelRegistryStore store)
    {
        var model = await store.GetRegisteredModelAsync("churn-model");
        Assert.Equal(("predicts churn", "alice"), (model.Description, model.UserId));
        Assert.Equal(new Tag("owner", "alice"), Assert.Single(model.Tags));
        Assert.Equal(new ModelAlias("champion", "2"), Assert.Single(model.Aliases));

        var v2 = await store.GetModelVersionByAliasAsync("churn-model", "champion");
        // Versions written before migration 4 have no separate storage location: they download from their source.
        Assert.Null(v2.StorageLocation);
        Assert.Equal(v2.Source, v2.DownloadUri);
        Assert.Equal((2L, ModelStage.Production, ModelVersionStatus.Ready), (v2.Version, v2.CurrentStage, v2.Status));
        Assert.Equal(("second try", RunId), (v2.Description, v2.RunId));
        Assert.Equal(new Tag("validated", "yes"), Assert.Single(v2.Tags));
        Assert.Equal(ModelStage.Archived, (await store.GetModelVersionAsync("churn-model", 1)).CurrentStage);

        var created = Assert.Single(await store.ListEventsAsync("churn-model", 10));
        Assert.Equal(("alice", "create_registered_model"), (created.Actor, created.Action));
        // Its snapshot was the API's JSON before migration 5 and is read through the storage shape now.
        Assert.Equal("churn-model", created.After!.Model!.Name);
        Assert.Null(created.Before);

        // Version 3 was deleted before the upgrade: its number is not handed out again.
        var next = await store.CreateModelVersionAsync(new NewModelVersion("churn-model", "runs:/" + RunId + "/model", RunId, [], null, null, null), null);
        Assert.Equal(4, next.Version);
    }

    private static async Task CheckServingAsync(SqliteServingStore store)
    {
        var endpoint = Assert.Single(await store.ListEndpointsAsync("prod"));
        Assert.Equal(("churn", EndpointMode.Canary), (endpoint.Name, endpoint.Mode));
        Assert.Equal(["models:/churn-model/2", "models:/churn-model/3"], endpoint.Routes.Select(r => r.ModelUri));
        Assert.Equal(new RolloutPolicy(0.02, 1.5, 5, 0.25, 100), endpoint.Policy);
        Assert.Equal(new EndpointLimits(64, 5000, 2000), endpoint.Limits);
        var rollout = endpoint.Rollout!;
        Assert.Equal((RolloutState.Running, 50, (long?)500), (rollout.State, rollout.CurrentPercent, rollout.HoldRequests));
        var step = Assert.Single(rollout.History);
        Assert.Equal(("passed", 500L), (step.Outcome, step.Comparison!.ChallengerRequests));
        var started = Assert.Single(await store.ListEventsAsync("churn", 10));
        Assert.Equal(("carol", "rollout.start"), (started.Actor, started.Action));
    }

    /// <summary>What Keel at <paramref name="version"/> left on disk: each migration, then that version's writes.</summary>
    private static void BuildAt(string path, int version)
    {
        using var connection = Open(path);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA foreign_keys = ON";
            pragma.ExecuteNonQuery();
        }

        foreach (var (v, _) in Migrations.All.Where(m => m.Version <= version))
        {
            SqliteMigrator.Migrate(connection, Root, upTo: v);
            using var insert = connection.CreateCommand();
            insert.CommandText = DataWrittenAt[v];
            insert.ExecuteNonQuery();
        }
    }

    private static int ReadVersion(string path)
    {
        using var connection = Open(path);
        return SqliteMigrator.CurrentVersion(connection);
    }

    private static List<string?> ReadColumn(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string?>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
