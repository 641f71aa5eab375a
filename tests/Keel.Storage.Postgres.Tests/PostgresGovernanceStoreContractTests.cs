using Keel.Core.Governance;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL governance store in the governance contract: each store on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresGovernanceStoreContractTests : GovernanceStoreContract
{
    private readonly TestDatabases _databases = new();

    protected override IGovernanceStore CreateStore() => new PostgresGovernanceStore(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
