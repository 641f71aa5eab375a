using Keel.Core.Features;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IOnlineFeatureStore"/> signs up to: per view table, the newest row
/// of each entity by (event time, created time) whatever order rows arrive in, so re-runs change
/// nothing; reads of many keys in the order asked with nulls for the missing; every value type
/// round-trips exactly; tables are independent and can be dropped.
/// </summary>
public abstract class OnlineFeatureStoreContract : IAsyncLifetime
{
    private IOnlineFeatureStore? _store;

    /// <summary>A fresh, empty store (its own file, database or key prefix).</summary>
    protected abstract Task<IOnlineFeatureStore> CreateStoreAsync();

    /// <summary>A second handle on the same store, as another process would open it; null when the backend has no such notion.</summary>
    protected virtual Task<IOnlineFeatureStore?> OpenSecondAsync() => Task.FromResult<IOnlineFeatureStore?>(null);

    protected IOnlineFeatureStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [ContractFact]
    public async Task A_probe_reaches_the_store_and_names_its_engine_with_a_version()
    {
        var answer = await Store.ProbeAsync();
        Assert.Matches(@"^(SQLite|Redis) \d+\.\d+", answer);
    }

    [ContractFact]
    public async Task A_newer_row_replaces_and_an_older_one_is_ignored()
    {
        await Store.WriteAsync("v@v1", [Row("1001", 2000, 0, 1L)]);
        await Store.WriteAsync("v@v1", [Row("1001", 3000, 0, 2L)]);
        Assert.Equal(2L, (await ReadOne("v@v1", "1001"))!.Values[0]);

        await Store.WriteAsync("v@v1", [Row("1001", 2500, 99, 3L)]);
        var row = (await ReadOne("v@v1", "1001"))!;
        Assert.Equal((3000L, 0L, (object?)2L), (row.EventTimestamp, row.CreatedTimestamp, row.Values[0]));
    }

    [ContractFact]
    public async Task At_equal_event_time_the_later_created_row_wins_in_any_order()
    {
        await Store.WriteAsync("v@v1", [Row("a", 1000, 20, "later"), Row("a", 1000, 10, "earlier")]);
        await Store.WriteAsync("v@v1", [Row("b", 1000, 10, "earlier")]);
        await Store.WriteAsync("v@v1", [Row("b", 1000, 20, "later")]);
        await Store.WriteAsync("v@v1", [Row("b", 1000, 15, "between")]);
        var rows = await Store.ReadAsync("v@v1", ["a", "b"]);
        Assert.Equal(["later", "later"], rows.Select(r => r!.Values[0]));
        Assert.All(rows, r => Assert.Equal(20L, r!.CreatedTimestamp));
    }

    [ContractFact]
    public async Task Rewriting_the_same_rows_changes_nothing()
    {
        var rows = Enumerable.Range(0, 300).Select(i => Row("k" + i, 1000 + i, 5, (long)i, "x" + i)).ToList();
        await Store.WriteAsync("v@v1", rows);
        var first = await Store.ReadAsync("v@v1", [.. rows.Select(r => r.EntityKey)]);
        rows.Reverse();
        await Store.WriteAsync("v@v1", rows);
        var second = await Store.ReadAsync("v@v1", [.. rows.Select(r => r.EntityKey).Reverse()]);
        Assert.Equal(first.Select(Describe), second.Select(Describe));
    }

    [ContractFact]
    public async Task Many_keys_come_back_in_the_order_asked_with_null_where_nothing_is_stored()
    {
        await Store.WriteAsync("v@v1", [Row("1", 10, 0, 1L), Row("3", 30, 0, 3L), Row("5", 50, 0, 5L)]);
        var rows = await Store.ReadAsync("v@v1", ["5", "2", "1", "3", "9", "5"]);
        Assert.Equal([5L, null, 1L, 3L, null, 5L], rows.Select(r => r?.Values[0]));
        Assert.Equal(["5", null, "1", "3", null, "5"], rows.Select(r => r?.EntityKey));
        Assert.Empty(await Store.ReadAsync("v@v1", []));
        Assert.Null(await ReadOne("never@v1", "1"));
    }

    [ContractFact]
    public async Task Compound_keys_are_distinct_entities()
    {
        var ab = EntityKeys.Of([1001L, "x"]);
        var ba = EntityKeys.Of(["x", 1001L]);
        var unicode = EntityKeys.Of(["café ☕", 7L]);
        await Store.WriteAsync("v@v1", [Row(ab, 1, 0, "ab"), Row(ba, 1, 0, "ba"), Row(unicode, 1, 0, "u")]);
        var rows = await Store.ReadAsync("v@v1", [ba, ab, unicode, EntityKeys.Of([1001L])]);
        Assert.Equal(["ba", "ab", "u", null], rows.Select(r => r?.Values[0]));
    }

    [ContractFact]
    public async Task Values_of_every_type_round_trip_exactly()
    {
        object?[] values =
        [
            0L, long.MaxValue, long.MinValue, -1L, 1.5, -0.0, double.NaN, double.PositiveInfinity, double.Epsilon, 1e300,
            "", "naïve — 日本語 🚀", "with\u001fseparator\nand newline", true, false, null,
        ];
        await Store.WriteAsync("v@v1", [new OnlineRow("e", 1_700_000_000_123, 1_700_000_000_456, values)]);
        var row = (await ReadOne("v@v1", "e"))!;
        Assert.Equal((1_700_000_000_123L, 1_700_000_000_456L), (row.EventTimestamp, row.CreatedTimestamp));
        Assert.Equal(values.Length, row.Values.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i]?.GetType(), row.Values[i]?.GetType());
            if (values[i] is double d)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)row.Values[i]!));
            }
            else
            {
                Assert.Equal(values[i], row.Values[i]);
            }
        }

        await Store.WriteAsync("v@v1", [new OnlineRow("empty", 1, 0, [])]);
        Assert.Empty((await ReadOne("v@v1", "empty"))!.Values);
    }

    [ContractFact]
    public async Task Tables_are_independent_and_a_drop_removes_one_table_only()
    {
        await Store.WriteAsync("v@v1", [Row("1", 10, 0, "v1"), Row("2", 10, 0, "v1")]);
        await Store.WriteAsync("v@v2", [Row("1", 5, 0, "v2")]);
        await Store.WriteAsync("w@v1", [Row("1", 1, 0, "w")]);
        Assert.Equal(["v1", "v2", "w"], new[] { "v@v1", "v@v2", "w@v1" }.Select(t => ReadOne(t, "1").Result!.Values[0]));

        await Store.DropAsync("v@v1");
        Assert.Equal([null, null], (await Store.ReadAsync("v@v1", ["1", "2"])).Select(r => r?.EntityKey));
        Assert.Equal("v2", (await ReadOne("v@v2", "1"))!.Values[0]);
        Assert.Equal("w", (await ReadOne("w@v1", "1"))!.Values[0]);
        await Store.DropAsync("never@v9");

        await Store.WriteAsync("v@v1", [Row("1", 1, 0, "again")]);
        Assert.Equal("again", (await ReadOne("v@v1", "1"))!.Values[0]);
    }

    [ContractFact]
    public async Task Concurrent_writers_of_the_same_keys_end_with_the_newest_rows()
    {
        var keys = Enumerable.Range(0, 50).Select(i => "k" + i).ToArray();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < 5; round++)
            {
                var ts = (round * 8) + w;
                await Store.WriteAsync("v@v1", [.. keys.Select(k => Row(k, ts, 0, (long)ts))]);
            }
        }));
        await Task.WhenAll(writers);
        var rows = await Store.ReadAsync("v@v1", keys);
        Assert.All(rows, r => Assert.Equal((39L, (object?)39L), (r!.EventTimestamp, r.Values[0])));
    }

    [ContractFact]
    public async Task A_write_through_another_handle_is_seen()
    {
        await Store.WriteAsync("v@v1", [Row("1", 10, 0, "old")]);
        Assert.Equal("old", (await ReadOne("v@v1", "1"))!.Values[0]);
        await using var second = await OpenSecondAsync();
        if (second is null)
        {
            return;
        }

        await second.WriteAsync("v@v1", [Row("1", 20, 0, "new")]);
        Assert.Equal("new", (await ReadOne(second, "v@v1", "1"))!.Values[0]);
        await SettleAsync();
        Assert.Equal("new", (await ReadOne("v@v1", "1"))!.Values[0]);
    }

    /// <summary>Lets a store that caches notice another handle's write (e.g. advance its clock past the refresh interval).</summary>
    protected virtual Task SettleAsync() => Task.CompletedTask;

    protected static OnlineRow Row(string key, long eventTs, long createdTs, params object?[] values) => new(key, eventTs, createdTs, values);

    private Task<OnlineRow?> ReadOne(string table, string key) => ReadOne(Store, table, key);

    private static async Task<OnlineRow?> ReadOne(IOnlineFeatureStore store, string table, string key) => (await store.ReadAsync(table, [key]))[0];

    private static string Describe(OnlineRow? row) =>
        row is null ? "null" : $"{row.EntityKey}|{row.EventTimestamp}|{row.CreatedTimestamp}|{string.Join(",", row.Values)}";
}
