using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite alert store in the alert contract: each store on a fresh temp file, with that file's leases.</summary>
public sealed class SqliteAlertStoreContractTests : AlertStoreContract
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _opened = [];

    protected override (IAlertStore Alerts, ILeaseStore Leases) CreateStores()
    {
        var path = _database.NewPath();
        var alerts = new SqliteAlertStore(path);
        var serving = new SqliteServingStore(path);
        _opened.Add(alerts);
        _opened.Add(serving);
        return (alerts, serving);
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
