using Keel.Compute.Serving;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class DivergenceTests
{
    [Fact]
    public void Jensen_shannon_matches_reference_values()
    {
        Assert.Equal(0, Divergence.JensenShannon([0.2, 0.3, 0.5], [2, 3, 5]), 12);
        Assert.Equal(1, Divergence.JensenShannon([1, 0], [0, 1]), 12);
        // m = (0.75, 0.25): 0.5 KL(p||m) + 0.5 KL(q||m) in bits.
        Assert.Equal(0.31127812445913283, Divergence.JensenShannon([0.5, 0.5], [1, 0]), 12);
        Assert.Equal(Divergence.JensenShannon([0.1, 0.9], [0.6, 0.4]), Divergence.JensenShannon([0.6, 0.4], [0.1, 0.9]), 12);
    }

    [Fact]
    public void Population_stability_matches_reference_value()
    {
        // (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5)
        Assert.Equal(0.2746530721670274, Divergence.PopulationStability([50, 50], [25, 75]), 12);
        Assert.Equal(0, Divergence.PopulationStability([1, 2, 3], [2, 4, 6]), 12);
    }

    [Fact]
    public void Samples_from_one_distribution_are_close_and_shifted_ones_far()
    {
        var rnd = new Random(7);
        var a = Enumerable.Range(0, 2000).Select(_ => rnd.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 2000).Select(_ => rnd.NextDouble()).ToArray();
        var shifted = b.Select(x => x + 0.8).ToArray();
        Assert.True(Divergence.OfSamples(a, b) < 0.02);
        Assert.True(Divergence.OfSamples(a, shifted) > 0.5);
    }

    [Fact]
    public void Quantile_edges_split_the_reference_into_equal_bins()
    {
        var reference = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var edges = Divergence.QuantileEdges(reference, 4);
        Assert.Equal([25.0, 50.0, 75.0], edges);
        var counts = new double[4];
        Divergence.BinByEdges(reference, edges, counts);
        Assert.Equal([25.0, 25.0, 25.0, 25.0], counts);
    }

    [Fact]
    public void Latency_quantiles_come_from_the_buckets_within_their_width()
    {
        var counts = new long[LatencyBuckets.Count];
        for (var us = 1; us <= 1000; us++)
        {
            counts[LatencyBuckets.IndexOf(us)]++;
        }

        var p99 = LatencyBuckets.Quantile(counts, 0.99);
        Assert.InRange(p99, 990, 990 * 1.19);
        Assert.Equal(0, LatencyBuckets.Quantile(new long[LatencyBuckets.Count], 0.5));
    }
}
