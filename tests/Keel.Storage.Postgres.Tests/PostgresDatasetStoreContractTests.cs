using Keel.Core.Data;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL dataset store in the dataset contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresDatasetStoreContractTests : DatasetStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IDatasetStore CreateDatasetStore() => new PostgresDatasetStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
