using Keel.Core.Monitoring;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL monitoring store in the monitoring contract: each store on a fresh schema, on the contract's clock.</summary>
[RequiresPostgres]
public sealed class PostgresMonitoringStoreContractTests : MonitoringStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IMonitoringStore CreateMonitoringStore(TimeProvider clock) => new PostgresMonitoringStore(_databases.Open(), clock);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
