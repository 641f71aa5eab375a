using Keel.Core.Tracking;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite store in the tracking contract: each store on a fresh temp file.</summary>
public sealed class SqliteTrackingStoreContractTests : TrackingStoreContract
{
    private readonly TempDatabase _database = new();

    protected override ITrackingStore CreateStore() => new SqliteTrackingStore(_database.NewPath());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
