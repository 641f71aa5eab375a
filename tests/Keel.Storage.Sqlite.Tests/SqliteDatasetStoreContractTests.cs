using Keel.Core.Data;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite dataset store in the dataset contract: each store on a fresh temp file.</summary>
public sealed class SqliteDatasetStoreContractTests : DatasetStoreContract
{
    private readonly TempDatabase _database = new();

    protected override IDatasetStore CreateDatasetStore() => new SqliteDatasetStore(_database.NewPath());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
