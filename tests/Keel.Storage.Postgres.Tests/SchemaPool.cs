using System.Collections.Concurrent;
using Keel.Storage.Postgres.Schema;
using Npgsql;

namespace Keel.Storage.Postgres.Tests;

/// <summary>
/// Migrated test schemas, reused: creating and dropping a schema costs about half a second, while
/// emptying one costs a few milliseconds. A test rents an empty schema (a new one when none is
/// free) and returns it when done; the next renter gets it emptied, its sequences restarted and
/// the Default experiment seeded again, as a new database would be. The schemas are dropped
/// when the test process exits.
/// </summary>
internal static class SchemaPool
{
    // Children before parents, so plain DELETEs satisfy the foreign keys (a few ms, where TRUNCATE
    // of every table costs tens). Reset checks that this names every table of the schema.
    private static readonly string[] Tables =
    [
        "input_tags", "inputs", "datasets", "metrics", "latest_metrics", "params", "tags", "runs", "experiment_tags", "experiments",
        "registered_model_aliases", "model_version_tags", "registered_model_tags", "model_versions", "registered_models", "registry_events",
        "serving_endpoints", "serving_events", "serving_changes", "serving_stats", "leases", "jobs",
        "dataset_aliases", "dataset_versions", "versioned_datasets", "dataset_events",
        "monitoring_buckets", "monitoring_predictions", "monitoring_labels", "monitoring_settings",
        "alert_deliveries", "alert_outbox", "alert_events", "alerts", "alert_rules",
        "pipeline_steps", "pipeline_runs", "pipeline_versions", "pipelines", "pipeline_step_logs", "pipeline_cache", "pipeline_events", "pipeline_triggers",
        "api_tokens", "resource_permissions", "group_members", "user_groups", "role_bindings", "users", "governance_changes",
        "audit_events",
        "environment_policies", "environment_assignments", "environment_version", "approvals",
        "feature_objects", "feature_catalog", "feature_materialization",
    ];

    private static readonly ConcurrentBag<string> Free = [];
    private static readonly ConcurrentDictionary<string, bool> All = new();

    static SchemaPool()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();
        if (TestPostgres.Uri is not null)
        {
            // What an earlier test process left when it was killed before its exit handler ran.
            TestPostgres.DropSchemas(TestPostgres.OrphanedSchemas());
        }
    }

    /// <summary>Settings naming an empty, migrated schema (or a new one, migrated when first opened).</summary>
    public static NpgsqlConnectionStringBuilder Rent(string defaultArtifactRoot)
    {
        var settings = TestPostgres.NewSchema();
        if (Free.TryTake(out var schema))
        {
            settings.SearchPath = schema;
            Reset(settings, defaultArtifactRoot);
        }

        return settings;
    }

    /// <summary>Takes back a schema a test is done with (rented, or made by the test itself), to hand out again.</summary>
    public static void Return(string schema)
    {
        All.TryAdd(schema, true);
        Free.Add(schema);
    }

    private static void Reset(NpgsqlConnectionStringBuilder settings, string defaultArtifactRoot)
    {
        using var connection = Open(settings);
        var present = new List<string>();
        using (var tables = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'keel_schema_version'", connection))
        using (var reader = tables.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        var unknown = present.Except(Tables).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"SchemaPool does not empty table(s) {string.Join(", ", unknown)}: add them to SchemaPool.Tables.");
        }

        var sequences = new List<string>();
        using (var command = new NpgsqlCommand("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sequences.Add(reader.GetString(0));
            }
        }

        using var transaction = connection.BeginTransaction();
        var sql = string.Join(";", Tables.Select(t => $"DELETE FROM {t}").Concat(sequences.Select(s => $"ALTER SEQUENCE \"{s}\" RESTART")));
        using (var empty = new NpgsqlCommand(sql, connection, transaction))
        {
            empty.ExecuteNonQuery();
        }

        PostgresMigrator.SeedDefaultExperiment(connection, transaction, defaultArtifactRoot);
        transaction.Commit();
    }

    private static void DropAll()
    {
        if (TestPostgres.Uri is null)
        {
            return;
        }

        try
        {
            TestPostgres.DropSchemas(All.Keys.ToList());
        }
        catch (NpgsqlException)
        {
            // Best effort at exit: the server may be gone already; the next run drops what is left.
        }
    }

    private static NpgsqlConnection Open(NpgsqlConnectionStringBuilder settings)
    {
        var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        return connection;
    }
}
