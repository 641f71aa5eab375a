using Keel.Core.Registry;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL registry store in the registry contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IModelRegistryStore CreateRegistryStore() => new PostgresModelRegistryStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
