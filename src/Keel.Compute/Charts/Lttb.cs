namespace Keel.Compute.Charts;

/// <summary>
/// Largest-Triangle-Three-Buckets downsampling (Steinarsson, "Downsampling Time Series for Visual
/// Representation", 2013): picks the points that keep a line's visual shape, so a 100,000-point
/// metric history draws from 1,000 points without losing its spikes.
/// </summary>
public static class Lttb
{
    /// <summary>
    /// The indices (ascending) of at most <paramref name="threshold"/> points of the series
    /// (<paramref name="x"/> ascending) to draw: the first and the last always, and in each of
    /// threshold - 2 equal buckets between them the point forming the largest triangle with the
    /// point kept before it and the mean of the next bucket. A series of at most threshold points,
    /// or a threshold below 3, keeps every point.
    /// </summary>
    public static int[] Select(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int threshold)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Got {x.Length} x values but {y.Length} y values.");
        }

        var n = x.Length;
        if (threshold >= n || threshold < 3)
        {
            var all = new int[n];
            for (var i = 0; i < n; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var kept = new int[threshold];
        kept[0] = 0;
        var every = (double)(n - 2) / (threshold - 2);
        var a = 0;
        for (var bucket = 0; bucket < threshold - 2; bucket++)
        {
            // The mean of the next bucket (the last point for the last bucket) is the third corner.
            var nextStart = Math.Min((int)Math.Floor((bucket + 1) * every) + 1, n - 1);
            var nextEnd = Math.Min((int)Math.Floor((bucket + 2) * every) + 1, n);
            double meanX = 0, meanY = 0;
            for (var i = nextStart; i < nextEnd; i++)
            {
                meanX += x[i];
                meanY += y[i];
            }

            var count = nextEnd - nextStart;
            meanX /= count;
            meanY /= count;

            var start = (int)Math.Floor(bucket * every) + 1;
            var end = (int)Math.Floor((bucket + 1) * every) + 1;
            double ax = x[a], ay = y[a];
            var best = start;
            var bestArea = -1.0;
            for (var i = start; i < end; i++)
            {
                // Twice the triangle's area; NaN values never win.
                var area = Math.Abs(((ax - meanX) * (y[i] - ay)) - ((ax - x[i]) * (meanY - ay)));
                if (area > bestArea)
                {
                    bestArea = area;
                    best = i;
                }
            }

            kept[bucket + 1] = best;
            a = best;
        }

        kept[threshold - 1] = n - 1;
        return kept;
    }
}
