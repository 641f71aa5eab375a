using Keel.Core.Tracking;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL tracking store in the tracking contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresTrackingStoreContractTests : TrackingStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override ITrackingStore CreateStore() => new PostgresTrackingStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
