using Keel.Core.Governance;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL environment store in the environment contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresEnvironmentStoreContractTests : EnvironmentStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IEnvironmentStore CreateStore() => new PostgresEnvironmentStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
