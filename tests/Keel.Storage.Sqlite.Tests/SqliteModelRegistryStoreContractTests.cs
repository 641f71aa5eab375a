using Keel.Core.Registry;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite registry store in the registry contract: each store on a fresh temp file.</summary>
public sealed class SqliteModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    private readonly TempDatabase _database = new();

    protected override IModelRegistryStore CreateRegistryStore() => new SqliteModelRegistryStore(_database.NewPath());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
