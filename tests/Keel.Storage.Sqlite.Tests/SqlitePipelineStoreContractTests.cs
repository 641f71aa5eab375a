using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite pipeline store in the pipeline contract: each store on a fresh temp file, with that file's leases.</summary>
public sealed class SqlitePipelineStoreContractTests : PipelineStoreContract
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _opened = [];

    protected override (IPipelineStore Pipelines, ILeaseStore Leases) CreateStores()
    {
        var path = _database.NewPath();
        var pipelines = new SqlitePipelineStore(path);
        var serving = new SqliteServingStore(path);
        _opened.Add(pipelines);
        _opened.Add(serving);
        return (pipelines, serving);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _opened.ForEach(o => o.Dispose());
            _database.Dispose();
        }
    }
}
