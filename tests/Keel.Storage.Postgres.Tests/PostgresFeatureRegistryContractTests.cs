using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL feature registry in the registry contract: each on a fresh schema, with its leases.</summary>
[RequiresPostgres]
public sealed class PostgresFeatureRegistryContractTests : FeatureRegistryContract
{
    private readonly TestDatabases _databases = new();
    private readonly List<IDisposable> _opened = [];

    protected override (IFeatureRegistry Registry, ILeaseStore Leases) CreateStores()
    {
        var database = _databases.Open();
        var serving = new PostgresServingStore(database);
        _opened.Add(serving);
        return (new PostgresFeatureRegistry(database), serving);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _opened.ForEach(o => o.Dispose());
            _databases.Dispose();
        }
    }
}
