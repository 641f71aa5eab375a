using Keel.Core.Monitoring;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite monitoring store in the monitoring contract: each store on a fresh temp file, on the contract's clock.</summary>
public sealed class SqliteMonitoringStoreContractTests : MonitoringStoreContract
{
    private readonly TempDatabase _database = new();

    protected override IMonitoringStore CreateMonitoringStore(TimeProvider clock) => new SqliteMonitoringStore(_database.NewPath(), clock);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
