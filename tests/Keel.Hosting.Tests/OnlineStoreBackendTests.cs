using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Storage.Features;

namespace Keel.Hosting.Tests;

/// <summary>--online-store: the embedded default, another SQLite file, Redis; bad values are refused naming the option, never showing a password.</summary>
public sealed class OnlineStoreBackendTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-online-backend-").FullName;

    [Fact]
    public async Task The_default_is_online_db_in_the_data_directory_and_the_server_gets_it_cached()
    {
        await using (var store = await OnlineStoreBackend.OpenAsync(null, _dir))
        {
            Assert.Equal("sqlite:///" + Path.Combine(_dir, "online.db"), store.Description);
            await store.WriteAsync("v@v1", [new OnlineRow("1", 1, 0, [1L])]);
        }

        await using var cached = await OnlineStoreBackend.OpenAsync(null, _dir, cached: true);
        Assert.IsType<CachedOnlineStore>(cached);
        Assert.Equal(1L, (await cached.ReadAsync("v@v1", ["1"]))[0]!.Values[0]);
    }

    [Fact]
    public async Task A_sqlite_uri_names_another_file()
    {
        var path = Path.Combine(_dir, "elsewhere", "features.db");
        await using var store = await OnlineStoreBackend.OpenAsync("sqlite:///" + path, _dir);
        Assert.Equal("sqlite:///" + path, store.Description);
        Assert.True(File.Exists(path));
    }

    [Theory]
    [InlineData("memcached://localhost:11211")]
    [InlineData("sqlite://")]
    [InlineData("redis://secret-password@localhost:6379/notanumber")]
    public async Task Unsupported_values_are_refused_naming_the_option_without_the_password(string uri)
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => OnlineStoreBackend.OpenAsync(uri, _dir));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("--online-store", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_is_unavailable_and_the_message_keeps_the_password_out()
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => OnlineStoreBackend.OpenAsync("redis://:hunter2-secret@127.0.0.1:1/0", _dir));
        Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        Assert.DoesNotContain("hunter2-secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_uri_with_a_prefix_reaches_the_test_redis()
    {
        if (Environment.GetEnvironmentVariable("KEEL_TEST_REDIS") is not { Length: > 0 } redis)
        {
            return; // Covered by the Redis contract suite where KEEL_TEST_REDIS is set (CI).
        }

        var prefix = "keel-hosting-test-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var store = await OnlineStoreBackend.OpenAsync(redis.TrimEnd('/') + "/0?prefix=" + Uri.EscapeDataString(prefix), _dir);
        Assert.Contains(prefix, store.Description, StringComparison.Ordinal);
        await store.WriteAsync("v@v1", [new OnlineRow("k", 5, 0, ["x"])]);
        Assert.Equal("x", (await store.ReadAsync("v@v1", ["k"]))[0]!.Values[0]);
        await store.DropAsync("v@v1");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
