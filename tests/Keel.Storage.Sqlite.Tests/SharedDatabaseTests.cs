using Xunit;
using Keel.Core.Serving;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>One SQLite database object per file in a process, whichever stores open it.</summary>
public sealed class SharedDatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Stores_on_one_file_share_one_database_until_the_last_closes()
    {
        var path = _temp.NewPath();
        var first = SqliteDatabase.Acquire(path, "mlflow-artifacts:/");
        var second = SqliteDatabase.Acquire(Path.Combine(Path.GetDirectoryName(path)!, ".", Path.GetFileName(path)), "mlflow-artifacts:/");
        Assert.Same(first.Database, second.Database);

        first.Dispose();
        first.Dispose(); // a second dispose of one handle releases nothing more
        var third = SqliteDatabase.Acquire(path, "mlflow-artifacts:/");
        Assert.Same(second.Database, third.Database);

        second.Dispose();
        third.Dispose();
        using var reopened = SqliteDatabase.Acquire(path, "mlflow-artifacts:/");
        Assert.NotSame(second.Database, reopened.Database);
    }

    [Fact]
    public async Task A_change_through_one_serving_store_wakes_another_opened_on_the_same_file()
    {
        var path = _temp.NewPath();
        using var writer = new SqliteServingStore(path);
        using var watcher = new SqliteServingStore(path);
        var after = await watcher.LatestChangeAsync();

        // A generous timeout: without a shared signal the wait would run it out and answer false.
        var woken = watcher.WaitForChangeAsync(after, TimeSpan.FromSeconds(30));
        await writer.CreateEndpointAsync(
            new Endpoint("e", "default", EndpointMode.Single, [new Route("models:/m/1", 100, RouteRole.Primary)], RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 1, 1),
            actor: null);

        Assert.True(await woken);
    }

    public void Dispose() => _temp.Dispose();
}
