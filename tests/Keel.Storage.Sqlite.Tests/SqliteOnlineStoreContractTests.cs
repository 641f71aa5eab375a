using Keel.Core.Features;
using Keel.Storage.Contracts;
using Keel.Storage.Features;
using Keel.Storage.Sqlite.Features;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the embedded online store (its own SQLite file) in the online store contract.</summary>
public sealed class SqliteOnlineStoreContractTests : OnlineFeatureStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private string? _path;

    protected override Task<IOnlineFeatureStore> CreateStoreAsync()
    {
        _path = _database.NewPath();
        return Task.FromResult<IOnlineFeatureStore>(SqliteOnlineStore.Open(_path));
    }

    protected override Task<IOnlineFeatureStore?> OpenSecondAsync() => Task.FromResult<IOnlineFeatureStore?>(SqliteOnlineStore.Open(_path!));

    public void Dispose() => _database.Dispose();
}

/// <summary>
/// Enrolls the serving process's cache over the embedded store: the same contract, and another
/// handle's write (another process) is seen once the refresh interval has passed.
/// </summary>
public sealed class CachedSqliteOnlineStoreContractTests : OnlineFeatureStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new();
    private string? _path;

    protected override Task<IOnlineFeatureStore> CreateStoreAsync()
    {
        _path = _database.NewPath();
        return Task.FromResult<IOnlineFeatureStore>(new CachedOnlineStore(SqliteOnlineStore.Open(_path), TimeSpan.FromSeconds(1), _time));
    }

    protected override Task<IOnlineFeatureStore?> OpenSecondAsync() => Task.FromResult<IOnlineFeatureStore?>(SqliteOnlineStore.Open(_path!));

    protected override Task SettleAsync()
    {
        _time.Advance(TimeSpan.FromSeconds(1.5));
        return Task.CompletedTask;
    }

    public void Dispose() => _database.Dispose();
}
