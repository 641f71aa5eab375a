using Keel.Core.Serving;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL serving store in the serving contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresServingStoreContractTests : ServingStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IServingStore CreateServingStore() => new PostgresServingStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
