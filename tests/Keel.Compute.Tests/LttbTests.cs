using Keel.Compute.Charts;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class LttbTests
{
    [Fact]
    public void Picks_the_largest_triangle_in_each_bucket_of_a_hand_computed_example()
    {
        // Seven points into four: buckets {1, 2} and {3, 4, 5}. Bucket one against (0, 0) and the
        // next bucket's mean (4, 5/3): twice the areas are 7/3 and 50/3, so index 2. Bucket two
        // against (2, 5) and the last point (6, 0): 7, 10 and 7, so index 4.
        double[] x = [0, 1, 2, 3, 4, 5, 6];
        double[] y = [0, 1, 5, 2, 0, 3, 0];
        Assert.Equal([0, 2, 4, 6], Lttb.Select(x, y, 4));
    }

    [Fact]
    public void Keeps_every_point_when_there_are_no_more_than_asked()
    {
        double[] x = [0, 1, 2, 3];
        double[] y = [4, 3, 2, 1];
        Assert.Equal([0, 1, 2, 3], Lttb.Select(x, y, 4));
        Assert.Equal([0, 1, 2, 3], Lttb.Select(x, y, 1000));
        Assert.Empty(Lttb.Select([], [], 10));
    }

    [Fact]
    public void Keeps_the_first_and_last_point_and_a_spike_of_a_long_series()
    {
        var n = 100_000;
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = i;
            y[i] = Math.Sin(i / 1000.0);
        }

        y[54_321] = 50;
        var kept = Lttb.Select(x, y, 1000);
        Assert.Equal(1000, kept.Length);
        Assert.Equal(0, kept[0]);
        Assert.Equal(n - 1, kept[^1]);
        Assert.Contains(54_321, kept);
        Assert.True(kept.Zip(kept.Skip(1)).All(p => p.First < p.Second), "indices are not ascending");
    }

    [Fact]
    public void Refuses_x_and_y_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => Lttb.Select([0, 1], [0], 3));
}
