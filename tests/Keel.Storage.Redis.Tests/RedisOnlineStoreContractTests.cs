using Keel.Core.Features;
using Keel.Storage.Contracts;
using Keel.Storage.Features;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Storage.Redis.Tests;

/// <summary>Opens the test Redis (KEEL_TEST_REDIS) through the hosting factory, each test under its own key prefix.</summary>
internal static class TestRedis
{
    public const string Variable = "KEEL_TEST_REDIS";

    public static string NewPrefix() => "keel-test:" + Guid.NewGuid().ToString("N")[..12] + ":";

    public static async Task<IOnlineFeatureStore> OpenAsync(string prefix)
    {
        var uri = new Uri(Environment.GetEnvironmentVariable(Variable) ?? "redis://127.0.0.1:6379");
        return await RedisOnlineStore.ConnectAsync(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port, 0, null, prefix);
    }
}

/// <summary>Enrolls the Redis online store in the online store contract.</summary>
[RequiresEnvironment(TestRedis.Variable, "no Redis to test the online store on (e.g. redis://127.0.0.1:6379)")]
public sealed class RedisOnlineStoreContractTests : OnlineFeatureStoreContract
{
    private readonly string _prefix = TestRedis.NewPrefix();

    protected override Task<IOnlineFeatureStore> CreateStoreAsync() => TestRedis.OpenAsync(_prefix);

    protected override async Task<IOnlineFeatureStore?> OpenSecondAsync() => await TestRedis.OpenAsync(_prefix);

    public override async Task DisposeAsync()
    {
        foreach (var table in new[] { "v@v1", "v@v2", "w@v1" })
        {
            await Store.DropAsync(table);
        }

        await base.DisposeAsync();
    }
}

/// <summary>Enrolls the serving cache over Redis: another handle's write is seen after the refresh interval.</summary>
[RequiresEnvironment(TestRedis.Variable, "no Redis to test the online store on (e.g. redis://127.0.0.1:6379)")]
public sealed class CachedRedisOnlineStoreContractTests : OnlineFeatureStoreContract
{
    private readonly string _prefix = TestRedis.NewPrefix();
    private readonly FakeTimeProvider _time = new();

    protected override async Task<IOnlineFeatureStore> CreateStoreAsync() =>
        new CachedOnlineStore(await TestRedis.OpenAsync(_prefix), TimeSpan.FromSeconds(1), _time);

    protected override async Task<IOnlineFeatureStore?> OpenSecondAsync() => await TestRedis.OpenAsync(_prefix);

    protected override Task SettleAsync()
    {
        _time.Advance(TimeSpan.FromSeconds(1.5));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        foreach (var table in new[] { "v@v1", "v@v2", "w@v1" })
        {
            await Store.DropAsync(table);
        }

        await base.DisposeAsync();
    }
}
