using Keel.Core.Serving;
using Xunit;

namespace Keel.Serving.Tests;

public sealed class RouterTests
{
    // Literal buckets, computed outside .NET (FNV-1a over the UTF-16 code units, low byte first,
    // then the 64-bit finaliser, modulo 10,000): a caller keeps its variant across restarts,
    // replicas and runtime upgrades only if these never change. string.GetHashCode is randomised
    // per process, so a hash built on it would fail here.
    [Theory]
    [InlineData("", 4342)]
    [InlineData("user-42", 8881)]
    [InlineData("user-43", 6529)]
    [InlineData("alice", 8418)]
    [InlineData("Alice", 6555)]
    [InlineData("customer:0001", 7004)]
    [InlineData("\u00fc", 6707)]
    [InlineData("\U0001F600", 9689)]
    public void Sticky_hash_matches_fixed_reference_buckets(string key, int expected)
    {
        Assert.Equal(expected, StickyHash.Bucket(key));
        Assert.Equal(expected, StickyHash.Bucket(new string(key.AsSpan())));
    }

    [Fact]
    public void Sticky_hash_of_a_long_key_matches_its_reference_bucket() => Assert.Equal(4336, StickyHash.Bucket(new string('x', 100)));

    [Fact]
    public void Sticky_hash_spreads_keys_evenly()
    {
        var counts = new int[10];
        for (var i = 0; i < 100_000; i++)
        {
            counts[StickyHash.Bucket($"key-{i}") / 1000]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Fact]
    public void Weighted_split_follows_the_weights()
    {
        var table = Tables.Build(EndpointMode.Canary, ("champion", 90, RouteRole.Primary), ("challenger", 10, RouteRole.Challenger));
        var challenger = 0;
        for (var b = 0; b < StickyHash.Buckets; b++)
        {
            if (table.Select(b).Route.ModelUri == "challenger")
            {
                challenger++;
            }
        }

        Assert.Equal(1_000, challenger);
    }

    [Fact]
    public void Raising_the_challenger_share_only_moves_keys_towards_it()
    {
        var t10 = Tables.Build(EndpointMode.AbTest, ("a", 90, RouteRole.Primary), ("b", 10, RouteRole.Challenger));
        var t50 = Tables.Build(EndpointMode.AbTest, ("a", 50, RouteRole.Primary), ("b", 50, RouteRole.Challenger));
        for (var i = 0; i < 5_000; i++)
        {
            var bucket = StickyHash.Bucket($"user-{i}");
            if (t10.Select(bucket).Route.ModelUri == "b")
            {
                Assert.Equal("b", t50.Select(bucket).Route.ModelUri);
            }
        }
    }

    [Fact]
    public void Shadow_and_standby_routes_never_take_live_traffic()
    {
        var table = Tables.Build(EndpointMode.Shadow, ("a", 100, RouteRole.Primary), ("s", 0, RouteRole.Shadow), ("old", 0, RouteRole.Standby));
        Assert.Single(table.Live);
        Assert.Equal("s", table.Shadow!.Route.ModelUri);
        for (var b = 0; b < StickyHash.Buckets; b += 7)
        {
            Assert.Equal("a", table.Select(b).Route.ModelUri);
        }
    }

    [Fact]
    public void A_primary_at_zero_percent_takes_no_traffic_at_the_last_step()
    {
        var table = Tables.Build(EndpointMode.Canary, ("a", 0, RouteRole.Primary), ("b", 100, RouteRole.Challenger));
        Assert.Equal("b", Assert.Single(table.Live).Route.ModelUri);
    }

    [Fact]
    public void Concurrency_gate_admits_up_to_its_limit()
    {
        var gate = new ConcurrencyGate { Limit = 2 };
        Assert.True(gate.TryEnter());
        Assert.True(gate.TryEnter());
        Assert.False(gate.TryEnter());
        gate.Exit();
        Assert.True(gate.TryEnter());
        Assert.Equal(2, gate.InFlight);
    }
}
