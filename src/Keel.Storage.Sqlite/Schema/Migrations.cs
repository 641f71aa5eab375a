using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Schema;

/// <summary>
/// The numbered schema scripts. A script is never edited once released: a change is a new script,
/// so a database opened by an older Keel is brought forward step by step.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, V1Initial),
        (2, V2Registry),
        (3, V3Serving),
        (4, V4StorageLocation),
        (5, V5StorageShapes),
        (6, V6Jobs),
        (7, V7Replicas),
        (8, V8Datasets),
        (9, V9Monitoring),
        (10, V10Alerts),
        (11, V11Pipelines),
        (12, V12Governance),
        (13, V13Audit),
        (14, V14Environments),
        (15, V15Features),
    ];

    /// <summary>Steps a migration takes in code after its script, in the same transaction (data rewrites SQL cannot express).</summary>
    public static readonly IReadOnlyDictionary<int, Action<SqliteConnection, SqliteTransaction>> Conversions =
        new Dictionary<int, Action<SqliteConnection, SqliteTransaction>>
        {
            [5] = StorageShapeConversion.Apply,
        };

    // Runs have an INTEGER surrogate key (run_key) so the history tables do not repeat the 32-char
    // id. Metric history is a WITHOUT ROWID table clustered by (run, key, step, timestamp, value): the
    // primary key both deduplicates retried points and serves history reads in order. NaN cannot be
    // stored in a REAL column (SQLite turns it into NULL), so it is value 0 with is_nan = 1.
    // params/tags/latest_metrics keep a rowid so "ORDER BY rowid" gives first-logging order.
    private const string V1Initial = """
        CREATE TABLE experiments (
            experiment_id     INTEGER PRIMARY KEY,
            name              TEXT NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage   TEXT NOT NULL,
            creation_time     INTEGER NOT NULL,
            last_update_time  INTEGER NOT NULL
        );
        CREATE INDEX ix_experiments_creation ON experiments (creation_time);

        CREATE TABLE experiment_tags (
            experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
            key           TEXT NOT NULL,
            value         TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key)
        );

        CREATE TABLE runs (
            run_key         INTEGER PRIMARY KEY,
            run_id          TEXT NOT NULL UNIQUE,
            experiment_id   INTEGER NOT NULL REFERENCES experiments (experiment_id),
            name            TEXT NOT NULL,
            user_id         TEXT NOT NULL,
            status          TEXT NOT NULL,
            start_time      INTEGER NOT NULL,
            end_time        INTEGER,
            artifact_uri    TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL
        );
        CREATE INDEX ix_runs_experiment ON runs (experiment_id, start_time DESC, run_id);

        CREATE TABLE params (
            run_key INTEGER NOT NULL REFERENCES runs (run_key),
            key     TEXT NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (run_key, key)
        );

        CREATE TABLE tags (
            run_key INTEGER NOT NULL REFERENCES runs (run_key),
            key     TEXT NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (run_key, key)
        );

        CREATE TABLE metrics (
            run_key   INTEGER NOT NULL,
            key       TEXT NOT NULL,
            step      INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            value     REAL NOT NULL,
            is_nan    INTEGER NOT NULL,
            PRIMARY KEY (run_key, key, step, timestamp, value, is_nan)
        ) WITHOUT ROWID;

        CREATE TABLE latest_metrics (
            run_key   INTEGER NOT NULL REFERENCES runs (run_key),
            key       TEXT NOT NULL,
            value     REAL NOT NULL,
            is_nan    INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            step      INTEGER NOT NULL,
            PRIMARY KEY (run_key, key)
        );

        CREATE TABLE datasets (
            dataset_key   INTEGER PRIMARY KEY,
            experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
            name          TEXT NOT NULL,
            digest        TEXT NOT NULL,
            source_type   TEXT NOT NULL,
            source        TEXT NOT NULL,
            schema        TEXT,
            profile       TEXT,
            UNIQUE (experiment_id, name, digest)
        );

        CREATE TABLE inputs (
            input_key   INTEGER PRIMARY KEY,
            run_key     INTEGER NOT NULL REFERENCES runs (run_key),
            dataset_key INTEGER NOT NULL REFERENCES datasets (dataset_key),
            UNIQUE (run_key, dataset_key)
        );

        CREATE TABLE input_tags (
            input_key INTEGER NOT NULL REFERENCES inputs (input_key),
            key       TEXT NOT NULL,
            value     TEXT NOT NULL,
            PRIMARY KEY (input_key, key)
        );
        """;

    // The model registry shares the tracking database. Names are the keys and every child table
    // cascades on update and delete, so a rename or delete is one statement that carries versions,
    // tags and aliases along. max_version keeps version numbers from being reused after a delete.
    // registry_events is append-only: the audit trail keeps the name a model had at the time.
    private const string V2Registry = """
        CREATE TABLE registered_models (
            name                   TEXT PRIMARY KEY,
            creation_timestamp     INTEGER NOT NULL,
            last_updated_timestamp INTEGER NOT NULL,
            user_id                TEXT,
            description            TEXT,
            max_version            INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE model_versions (
            name                   TEXT NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            version                INTEGER NOT NULL,
            creation_timestamp     INTEGER NOT NULL,
            last_updated_timestamp INTEGER NOT NULL,
            user_id                TEXT,
            current_stage          TEXT NOT NULL,
            description            TEXT,
            source                 TEXT NOT NULL,
            run_id                 TEXT,
            status                 TEXT NOT NULL,
            status_message         TEXT,
            run_link               TEXT,
            PRIMARY KEY (name, version)
        );
        CREATE INDEX ix_model_versions_run ON model_versions (run_id);

        CREATE TABLE registered_model_tags (
            name  TEXT NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            key   TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name, key)
        );

        CREATE TABLE model_version_tags (
            name    TEXT NOT NULL,
            version INTEGER NOT NULL,
            key     TEXT NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (name, version, key),
            FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
        );

        CREATE TABLE registered_model_aliases (
            name    TEXT NOT NULL,
            alias   TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
        );

        CREATE TABLE registry_events (
            id         INTEGER PRIMARY KEY,
            timestamp  INTEGER NOT NULL,
            actor      TEXT,
            action     TEXT NOT NULL,
            model_name TEXT NOT NULL,
            version    TEXT,
            before     TEXT,
            after      TEXT
        );
        CREATE INDEX ix_registry_events_model ON registry_events (model_name, id);
        """;

    // Serving endpoints are small documents read whole at start-up and written on each change, so an
    // endpoint is one JSON row rather than a table per route and step (its shape: migration 5).
    private const string V3Serving = """
        CREATE TABLE serving_endpoints (
            name          TEXT PRIMARY KEY,
            environment   TEXT NOT NULL,
            spec          TEXT NOT NULL,
            created_time  INTEGER NOT NULL,
            updated_time  INTEGER NOT NULL
        );

        CREATE TABLE serving_events (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            timestamp INTEGER NOT NULL,
            actor     TEXT,
            action    TEXT NOT NULL,
            endpoint  TEXT NOT NULL,
            detail    TEXT,
            snapshot  TEXT
        );
        CREATE INDEX ix_serving_events_endpoint ON serving_events (endpoint, id);
        """;

    // Where a version's artifacts live when that is not its source (a copy registered from a
    // models:/ URI keeps the location it was copied from); NULL means the source.
    private const string V4StorageLocation = """
        ALTER TABLE model_versions ADD COLUMN storage_location TEXT;
        """;

    // Stored documents stop being the API's JSON: endpoint rows, endpoint event snapshots and
    // registry event snapshots move to versioned storage shapes (Keel.Storage/Records), rewritten
    // row by row in code (StorageShapeConversion). The tables keep their columns.
    private const string V5StorageShapes = """
        -- Data only: see StorageShapeConversion.
        """;

    // The job queue (IJobQueue). One row per job; a lease is the owner, a random token (the fence
    // every later call of the holder must present) and an expiry, cleared when the lease ends.
    // ix_jobs_ready serves "the oldest ready job of these kinds"; ix_jobs_expiry finds lapsed leases.
    // An idempotency key is unique where given (NULLs do not collide).
    private const string V6Jobs = """
        CREATE TABLE jobs (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            kind             TEXT NOT NULL,
            payload          TEXT NOT NULL,
            state            TEXT NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            max_attempts     INTEGER NOT NULL,
            idempotency_key  TEXT UNIQUE,
            not_before       INTEGER NOT NULL,
            created_at       INTEGER NOT NULL,
            updated_at       INTEGER NOT NULL,
            lease_owner      TEXT,
            lease_token      TEXT,
            lease_expires_at INTEGER,
            result           TEXT,
            last_error       TEXT,
            finished_at      INTEGER
        );
        CREATE INDEX ix_jobs_ready ON jobs (state, kind, not_before, id);
        CREATE INDEX ix_jobs_expiry ON jobs (state, lease_expires_at);
        """;

    // Several replicas on one store: endpoint revisions for optimistic concurrency, a change feed a
    // replica catches up from, leases with fencing epochs for singleton jobs, and per-replica rollout
    // statistics the controller sums. Existing endpoints start at revision 1.
    private const string V7Replicas = """
        ALTER TABLE serving_endpoints ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

        CREATE TABLE serving_changes (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            endpoint   TEXT NOT NULL,
            version    INTEGER NOT NULL,
            changed_at INTEGER NOT NULL
        );

        CREATE TABLE leases (
            name       TEXT PRIMARY KEY,
            holder     TEXT NOT NULL,
            epoch      INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );

        CREATE TABLE serving_stats (
            endpoint   TEXT NOT NULL,
            rollout_id TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            model_uri  TEXT NOT NULL,
            role       TEXT NOT NULL,
            replica    TEXT NOT NULL,
            requests   INTEGER NOT NULL,
            errors     INTEGER NOT NULL,
            latency    TEXT NOT NULL,
            samples    TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (endpoint, rollout_id, step_index, model_uri, role, replica)
        ) WITHOUT ROWID;
        """;

    // Versioned datasets: contents are content-addressed objects in the artifact store, so a version
    // row holds its manifest digest and what listing, diff and monitoring need (schema, row count,
    // profile, the gating suite's result). (name, version) is the key; the latest version is kept on
    // the dataset row so an add compares against it and bumps it in one transaction.
    private const string V8Datasets = """
        CREATE TABLE versioned_datasets (
            name           TEXT PRIMARY KEY,
            description    TEXT,
            created_time   INTEGER NOT NULL,
            updated_time   INTEGER NOT NULL,
            latest_version INTEGER NOT NULL,
            suite          TEXT
        );

        CREATE TABLE dataset_versions (
            name            TEXT NOT NULL REFERENCES versioned_datasets (name) ON DELETE CASCADE,
            version         INTEGER NOT NULL,
            manifest_digest TEXT NOT NULL,
            format          TEXT NOT NULL,
            file_count      INTEGER NOT NULL,
            size_bytes      INTEGER NOT NULL,
            row_count       INTEGER,
            schema_json     TEXT,
            profile         TEXT,
            validation      TEXT,
            source          TEXT,
            description     TEXT,
            created_time    INTEGER NOT NULL,
            created_by      TEXT,
            PRIMARY KEY (name, version)
        );

        CREATE INDEX ix_dataset_versions_digest ON dataset_versions (manifest_digest);

        CREATE TABLE dataset_aliases (
            name    TEXT NOT NULL REFERENCES versioned_datasets (name) ON DELETE CASCADE,
            alias   TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (name, alias)
        );

        CREATE TABLE dataset_events (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            timestamp INTEGER NOT NULL,
            actor     TEXT,
            action    TEXT NOT NULL,
            dataset   TEXT NOT NULL,
            detail    TEXT
        );
        """;

    // Continuous monitoring. A bucket row holds one time bucket's mergeable statistics (JSON), so
    // windows of any size merge buckets instead of re-reading the prediction log. Predictions are
    // indexed by request id for delayed labels; a label is "pending" until the quality of its
    // prediction's bucket has been recomputed with it.
    private const string V9Monitoring = """
        CREATE TABLE monitoring_buckets (
            endpoint    TEXT NOT NULL,
            start_ms    INTEGER NOT NULL,
            seconds     INTEGER NOT NULL,
            requests    INTEGER NOT NULL,
            stats       TEXT NOT NULL,
            computed_at INTEGER NOT NULL,
            quality     TEXT,
            PRIMARY KEY (endpoint, start_ms)
        ) WITHOUT ROWID;

        CREATE TABLE monitoring_predictions (
            endpoint   TEXT NOT NULL,
            request_id TEXT NOT NULL,
            bucket_ms  INTEGER NOT NULL,
            version    TEXT NOT NULL,
            predicted  TEXT NOT NULL,
            scores     TEXT,
            PRIMARY KEY (endpoint, request_id)
        ) WITHOUT ROWID;

        CREATE INDEX ix_monitoring_predictions_bucket ON monitoring_predictions (endpoint, bucket_ms);

        CREATE TABLE monitoring_labels (
            endpoint    TEXT NOT NULL,
            request_id  TEXT NOT NULL,
            label       TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            replaced    INTEGER NOT NULL,
            pending     INTEGER NOT NULL,
            PRIMARY KEY (endpoint, request_id)
        ) WITHOUT ROWID;

        CREATE INDEX ix_monitoring_labels_pending ON monitoring_labels (endpoint, pending);

        CREATE TABLE monitoring_settings (
            endpoint   TEXT PRIMARY KEY,
            reference  TEXT,
            drift      TEXT,
            updated_at INTEGER NOT NULL
        );
        """;

    // Alerting. A rule's open alert is marked by open_rule (the rule's name while pending or firing,
    // NULL once resolved): its UNIQUE constraint keeps one open alert per rule whatever races.
    // alert_events is the append-only feed (seq is taken as MAX + 1 inside the writing transaction,
    // so it commits in order); alert_outbox holds the webhook deliveries still to make, so they
    // survive a restart, and alert_deliveries logs every attempt.
    private const string V10Alerts = """
        CREATE TABLE alert_rules (
            name         TEXT PRIMARY KEY,
            endpoint     TEXT NOT NULL,
            metric       TEXT NOT NULL,
            window_size  TEXT NOT NULL,
            warning      REAL,
            critical     REAL,
            direction    TEXT NOT NULL,
            min_samples  INTEGER NOT NULL,
            for_windows  INTEGER NOT NULL,
            webhooks     TEXT NOT NULL,
            enabled      INTEGER NOT NULL,
            secret       TEXT,
            version      INTEGER NOT NULL,
            created_time INTEGER NOT NULL,
            updated_time INTEGER NOT NULL,
            updated_by   TEXT
        );

        CREATE INDEX ix_alert_rules_endpoint ON alert_rules (endpoint, name);

        CREATE TABLE alerts (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            rule          TEXT NOT NULL,
            open_rule     TEXT UNIQUE,
            endpoint      TEXT NOT NULL,
            metric        TEXT NOT NULL,
            window_size   TEXT NOT NULL,
            state         TEXT NOT NULL,
            severity      TEXT NOT NULL,
            value         REAL,
            threshold     REAL NOT NULL,
            window_start  INTEGER NOT NULL,
            window_end    INTEGER NOT NULL,
            opened_time   INTEGER NOT NULL,
            firing_time   INTEGER,
            resolved_time INTEGER,
            updated_time  INTEGER NOT NULL,
            ack_by        TEXT,
            ack_time      INTEGER,
            last_seq      INTEGER NOT NULL
        );

        CREATE INDEX ix_alerts_endpoint ON alerts (endpoint, id);

        CREATE TABLE alert_events (
            seq          INTEGER PRIMARY KEY,
            alert_id     INTEGER NOT NULL,
            rule         TEXT NOT NULL,
            endpoint     TEXT NOT NULL,
            metric       TEXT NOT NULL,
            window_size  TEXT NOT NULL,
            from_state   TEXT,
            to_state     TEXT NOT NULL,
            severity     TEXT NOT NULL,
            value        REAL,
            threshold    REAL NOT NULL,
            window_start INTEGER NOT NULL,
            window_end   INTEGER NOT NULL,
            time         INTEGER NOT NULL,
            reason       TEXT
        );

        CREATE INDEX ix_alert_events_alert ON alert_events (alert_id, seq);

        CREATE TABLE alert_outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            seq             INTEGER NOT NULL,
            rule            TEXT NOT NULL,
            url             TEXT NOT NULL,
            attempts        INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL
        );

        CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_attempt_at, id);

        CREATE TABLE alert_deliveries (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            seq         INTEGER NOT NULL,
            alert_id    INTEGER NOT NULL,
            url         TEXT NOT NULL,
            attempt     INTEGER NOT NULL,
            status_code INTEGER,
            error       TEXT,
            time        INTEGER NOT NULL,
            outcome     TEXT NOT NULL
        );

        CREATE INDEX ix_alert_deliveries_alert ON alert_deliveries (alert_id, id);
        """;

    // Pipelines. A pipeline row holds its latest version; every applied change adds a
    // pipeline_versions row, so runs keep naming the definition they ran. A run's dedupe key is
    // copied to active_dedupe while it is queued or running (NULL once it ends): the UNIQUE
    // (pipeline, active_dedupe) keeps one live run per key whatever races. pipeline_events is the
    // append-only feed of run and step changes and pipeline_step_logs the steps' lines; both take
    // seq as MAX + 1 inside the writing transaction, so they commit in order. pipeline_cache keeps
    // the first outputs stored under a key; pipeline_triggers the scheduler's cursor per trigger.
    private const string V11Pipelines = """
        CREATE TABLE pipelines (
            name         TEXT PRIMARY KEY,
            version      INTEGER NOT NULL,
            created_time INTEGER NOT NULL,
            updated_time INTEGER NOT NULL
        );

        CREATE TABLE pipeline_versions (
            name         TEXT NOT NULL REFERENCES pipelines (name),
            version      INTEGER NOT NULL,
            source       TEXT NOT NULL,
            hash         TEXT NOT NULL,
            created_time INTEGER NOT NULL,
            PRIMARY KEY (name, version)
        );

        CREATE TABLE pipeline_runs (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            pipeline         TEXT NOT NULL REFERENCES pipelines (name),
            pipeline_version INTEGER NOT NULL,
            state            TEXT NOT NULL,
            trigger_kind     TEXT NOT NULL,
            trigger_name     TEXT,
            trigger_detail   TEXT,
            trigger_actor    TEXT,
            parameters       TEXT NOT NULL,
            dedupe_key       TEXT,
            active_dedupe    TEXT,
            idempotency_key  TEXT UNIQUE,
            mlflow_run_id    TEXT,
            created_time     INTEGER NOT NULL,
            started_time     INTEGER,
            finished_time    INTEGER,
            error            TEXT,
            version          INTEGER NOT NULL,
            UNIQUE (pipeline, active_dedupe)
        );

        CREATE INDEX ix_pipeline_runs_pipeline ON pipeline_runs (pipeline, id);
        CREATE INDEX ix_pipeline_runs_state ON pipeline_runs (pipeline, state);

        CREATE TABLE pipeline_steps (
            run_id        INTEGER NOT NULL REFERENCES pipeline_runs (id),
            step          TEXT NOT NULL,
            ord           INTEGER NOT NULL,
            state         TEXT NOT NULL,
            attempt       INTEGER NOT NULL,
            cache_key     TEXT,
            cached_from   INTEGER,
            outputs       TEXT NOT NULL,
            mlflow_run_id TEXT,
            job_id        INTEGER,
            started_time  INTEGER,
            finished_time INTEGER,
            error         TEXT,
            version       INTEGER NOT NULL,
            PRIMARY KEY (run_id, step)
        );

        CREATE TABLE pipeline_step_logs (
            seq     INTEGER PRIMARY KEY,
            run_id  INTEGER NOT NULL,
            step    TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            time    INTEGER NOT NULL,
            line    TEXT NOT NULL
        );

        CREATE INDEX ix_pipeline_step_logs_run ON pipeline_step_logs (run_id, seq);
        CREATE INDEX ix_pipeline_step_logs_step ON pipeline_step_logs (run_id, step, seq);

        CREATE TABLE pipeline_cache (
            cache_key    TEXT PRIMARY KEY,
            pipeline     TEXT NOT NULL,
            step         TEXT NOT NULL,
            run_id       INTEGER NOT NULL,
            outputs      TEXT NOT NULL,
            created_time INTEGER NOT NULL
        );

        CREATE TABLE pipeline_events (
            seq      INTEGER PRIMARY KEY,
            run_id   INTEGER NOT NULL,
            pipeline TEXT NOT NULL,
            step     TEXT,
            state    TEXT NOT NULL,
            message  TEXT,
            time     INTEGER NOT NULL
        );

        CREATE INDEX ix_pipeline_events_run ON pipeline_events (run_id, seq);

        CREATE TABLE pipeline_triggers (
            pipeline       TEXT NOT NULL,
            trigger_name   TEXT NOT NULL,
            cursor_value   TEXT,
            pending_until  INTEGER,
            pending_detail TEXT,
            fired          INTEGER NOT NULL,
            updated_time   INTEGER NOT NULL,
            PRIMARY KEY (pipeline, trigger_name)
        );
        """;

    // Governance: users (password hashes as PHC strings), API tokens (only the SHA-256 of the secret,
    // unique, so a token is found by its hash), MLflow's per-experiment and per-registered-model
    // permissions (one row per kind, resource and user), groups and their members, and role bindings
    // per environment. governance_changes holds one counter every governance write raises in its
    // transaction, so caches of these tables can tell they are behind.
    private const string V12Governance = """
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            username      TEXT NOT NULL UNIQUE,
            password_hash TEXT,
            is_admin      INTEGER NOT NULL,
            created_time  INTEGER NOT NULL
        );

        CREATE TABLE api_tokens (
            ord          INTEGER PRIMARY KEY AUTOINCREMENT,
            id           TEXT NOT NULL UNIQUE,
            user_id      INTEGER NOT NULL REFERENCES users (id),
            name         TEXT NOT NULL,
            secret_hash  BLOB NOT NULL UNIQUE,
            created_time INTEGER NOT NULL,
            expires_at   INTEGER,
            revoked_at   INTEGER
        );

        CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);

        CREATE TABLE resource_permissions (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            kind       TEXT NOT NULL,
            resource   TEXT NOT NULL,
            user_id    INTEGER NOT NULL REFERENCES users (id),
            permission TEXT NOT NULL,
            UNIQUE (kind, resource, user_id)
        );

        CREATE INDEX ix_resource_permissions_user ON resource_permissions (user_id);

        CREATE TABLE user_groups (
            name         TEXT PRIMARY KEY,
            created_time INTEGER NOT NULL
        );

        CREATE TABLE group_members (
            group_name TEXT NOT NULL REFERENCES user_groups (name),
            user_id    INTEGER NOT NULL REFERENCES users (id),
            PRIMARY KEY (group_name, user_id)
        );

        CREATE INDEX ix_group_members_user ON group_members (user_id);

        CREATE TABLE role_bindings (
            principal   TEXT NOT NULL,
            environment TEXT NOT NULL,
            role        TEXT NOT NULL,
            PRIMARY KEY (principal, environment)
        );

        CREATE TABLE governance_changes (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        """;

    // The tamper-evident audit log (numbered 13; 12 belongs to another part of issue 14). Append-only:
    // Keel only inserts and reads. Each row carries its predecessor's hash and its own, SHA-256 over
    // the previous hash and the canonical encoding of the fields (Keel.Core.Governance.AuditChain).
    private const string V13Audit = """
        CREATE TABLE audit_events (
            seq           INTEGER PRIMARY KEY,
            time          INTEGER NOT NULL,
            actor         TEXT NOT NULL,
            action        TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource      TEXT NOT NULL,
            environment   TEXT,
            approval_id   INTEGER,
            before        TEXT,
            after         TEXT,
            previous_hash BLOB NOT NULL,
            hash          BLOB NOT NULL
        );

        CREATE INDEX ix_audit_events_resource ON audit_events (resource_type, resource, seq);
        CREATE INDEX ix_audit_events_actor ON audit_events (actor, seq);
        CREATE INDEX ix_audit_events_time ON audit_events (time);
        CREATE INDEX ix_audit_events_approval ON audit_events (approval_id) WHERE approval_id IS NOT NULL;
        """;

    // Environments and approvals (issue 14): policies and assignments raise one change counter that
    // resolvers compare against; approvals carry their change (request) and evidence as JSON text.
    private const string V14Environments = """
        CREATE TABLE environment_policies (
            name                 TEXT PRIMARY KEY,
            requires_approval    INTEGER NOT NULL,
            approval_ttl_seconds INTEGER NOT NULL,
            updated_time         INTEGER NOT NULL
        );

        CREATE TABLE environment_assignments (
            kind         TEXT NOT NULL,
            resource     TEXT NOT NULL,
            environment  TEXT NOT NULL,
            updated_time INTEGER NOT NULL,
            PRIMARY KEY (kind, resource)
        );

        CREATE TABLE environment_version (
            id      INTEGER PRIMARY KEY,
            version INTEGER NOT NULL
        );

        CREATE TABLE approvals (
            id           INTEGER PRIMARY KEY,
            environment  TEXT NOT NULL,
            action       TEXT NOT NULL,
            resource     TEXT NOT NULL,
            request      TEXT NOT NULL,
            evidence     TEXT,
            requester    TEXT NOT NULL,
            reason       TEXT,
            state        TEXT NOT NULL,
            created_time INTEGER NOT NULL,
            expires_time INTEGER NOT NULL,
            decided_by   TEXT,
            decided_time INTEGER,
            comment      TEXT,
            applied_time INTEGER,
            result       TEXT,
            error        TEXT,
            version      INTEGER NOT NULL
        );

        CREATE INDEX ix_approvals_state ON approvals (state, id);
        CREATE INDEX ix_approvals_environment ON approvals (environment, id);
        """;

    // The feature registry: every version of every definition (live = 1 marks the current version of
    // a live definition), the catalog revision an apply checks and raises, and each view's
    // materialization watermark with its optimistic revision.
    private const string V15Features = """
        CREATE TABLE feature_objects (
            kind         TEXT NOT NULL,
            name         TEXT NOT NULL,
            version      INTEGER NOT NULL,
            definition   TEXT NOT NULL,
            live         INTEGER NOT NULL,
            created_time INTEGER NOT NULL,
            updated_time INTEGER NOT NULL,
            created_by   TEXT,
            PRIMARY KEY (kind, name, version)
        );

        CREATE INDEX ix_feature_objects_live ON feature_objects (live, kind, name);

        CREATE TABLE feature_catalog (
            id       INTEGER PRIMARY KEY,
            revision INTEGER NOT NULL
        );

        CREATE TABLE feature_materialization (
            view_name    TEXT PRIMARY KEY,
            view_version INTEGER NOT NULL,
            watermark    INTEGER NOT NULL,
            row_count    INTEGER NOT NULL,
            updated_time INTEGER NOT NULL,
            revision     INTEGER NOT NULL
        );
        """;
}
