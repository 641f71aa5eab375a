using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite feature registry in the registry contract: each on a fresh temp file, with that file's leases.</summary>
public sealed class SqliteFeatureRegistryContractTests : FeatureRegistryContract
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _opened = [];

    protected override (IFeatureRegistry Registry, ILeaseStore Leases) CreateStores()
    {
        var path = _database.NewPath();
        var registry = new SqliteFeatureRegistry(path);
        var serving = new SqliteServingStore(path);
        _opened.Add(registry);
        _opened.Add(serving);
        return (registry, serving);
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
