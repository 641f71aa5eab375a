using Keel.Core.Serving;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite serving store in the serving contract: each store on a fresh temp file.</summary>
public sealed class SqliteServingStoreContractTests : ServingStoreContract
{
    private readonly TempDatabase _database = new();

    protected override IServingStore CreateServingStore() => new SqliteServingStore(_database.NewPath());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
