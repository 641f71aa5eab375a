using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL pipeline store in the pipeline contract: each store on a fresh schema, with its leases.</summary>
[RequiresPostgres]
public sealed class PostgresPipelineStoreContractTests : PipelineStoreContract
{
    private readonly TestDatabases _databases = new();
    private readonly List<IDisposable> _opened = [];

    protected override (IPipelineStore Pipelines, ILeaseStore Leases) CreateStores()
    {
        var database = _databases.Open();
        var serving = new PostgresServingStore(database);
        _opened.Add(serving);
        return (new PostgresPipelineStore(database), serving);
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
