using Keel.Core.Governance;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite environment store in the environment contract: each store on a fresh temp file.</summary>
public sealed class SqliteEnvironmentStoreContractTests : EnvironmentStoreContract
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _opened = [];

    protected override IEnvironmentStore CreateStore()
    {
        var store = new SqliteEnvironmentStore(_database.NewPath());
        _opened.Add(store);
        return store;
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
