using Keel.Core.Monitoring;
using Keel.Storage.Contracts;
using Npgsql;
using Xunit;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL monitoring store in the monitoring contract: each store on a fresh schema, on the contract's clock.</summary>
[RequiresPostgres]
public sealed class PostgresMonitoringStoreContractTests : MonitoringStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IMonitoringStore CreateMonitoringStore(TimeProvider clock) => new PostgresMonitoringStore(_databases.Open(), clock);

    /// <summary>
    /// A table analysed while it held one row, then filled by a 20,000-row batch, was planned as
    /// one row until autovacuum came round: the label summary's join ran as a nested loop over the
    /// whole table per row (78 s here, past the command timeout). Large batches now refresh the
    /// statistics themselves.
    /// </summary>
    [PostgresFact]
    public async Task A_large_batch_into_a_table_analysed_while_small_refreshes_its_statistics()
    {
        var settings = SchemaPool.Rent(Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        using var store = new PostgresMonitoringStore(_databases.Open(settings));
        await store.PutBucketAsync(Bucket("churn", T0), [Prediction("seed", T0)]);
        await store.AddLabelsAsync("churn", [new("seed", "1")]);
        Assert.Equal(1, await ExecuteAsync(settings, "ANALYZE monitoring_predictions; ANALYZE monitoring_labels; SELECT reltuples::int FROM pg_class WHERE oid = 'monitoring_predictions'::regclass"));

        const int Rows = 20_000;
        await store.PutBucketAsync(Bucket("churn", T0.AddMinutes(5), requests: Rows), [.. Enumerable.Range(0, Rows).Select(i => Prediction($"req-{i:D6}", T0.AddMinutes(5)))]);
        await store.AddLabelsAsync("churn", [.. Enumerable.Range(0, Rows).Select(i => new FeedbackLabel($"req-{i:D6}", "1"))]);

        Assert.Equal(Rows + 1, await ExecuteAsync(settings, "SELECT reltuples::int FROM pg_class WHERE oid = 'monitoring_predictions'::regclass"));
        Assert.Equal(Rows + 1, await ExecuteAsync(settings, "SELECT reltuples::int FROM pg_class WHERE oid = 'monitoring_labels'::regclass"));
        Assert.Equal(new LabelSummary(Rows + 1, Rows + 1, 0, 0), await store.LabelSummaryAsync("churn"));

        // A small batch into the now large table leaves the statistics alone.
        await store.AddLabelsAsync("churn", [.. Enumerable.Range(0, 1_500).Select(i => new FeedbackLabel($"late-{i:D6}", "1"))]);
        Assert.Equal(Rows + 1, await ExecuteAsync(settings, "SELECT reltuples::int FROM pg_class WHERE oid = 'monitoring_labels'::regclass"));
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnectionStringBuilder settings, string sql)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
