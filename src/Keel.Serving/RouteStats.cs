using Keel.Compute.Serving;

namespace Keel.Serving;

/// <summary>
/// Lock-free counters of one route: requests, errors, a latency histogram and a ring of recent
/// predictions (for the divergence check). Writers race benignly on the ring: a torn sample is
/// just another sample.
/// </summary>
internal sealed class RouteStats
{
    private readonly long[] _latency = new long[LatencyBuckets.Count];
    private readonly double[] _samples;
    private long _requests;
    private long _errors;
    private long _sampled;

    public RouteStats(int sampleSize = 2048) => _samples = new double[sampleSize];

    public long Requests => Volatile.Read(ref _requests);

    public long Errors => Volatile.Read(ref _errors);

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public void Record(long micros, bool error)
    {
        Interlocked.Increment(ref _requests);
        if (error)
        {
            Interlocked.Increment(ref _errors);
        }

        Interlocked.Increment(ref _latency[LatencyBuckets.IndexOf(micros)]);
    }

    public void Sample(double prediction)
    {
        var i = Interlocked.Increment(ref _sampled) - 1;
        _samples[i % _samples.Length] = prediction;
    }

    /// <summary>Latency quantile in milliseconds.</summary>
    public double QuantileMs(double q) => LatencyBuckets.Quantile(LatencyCounts(), q) / 1000.0;

    /// <summary>A copy of the latency histogram's counts.</summary>
    public long[] LatencyCounts()
    {
        var counts = new long[_latency.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _latency[i]);
        }

        return counts;
    }

    /// <summary>A copy of the predictions sampled so far (at most the ring's size).</summary>
    public double[] Samples()
    {
        var n = (int)Math.Min(Volatile.Read(ref _sampled), _samples.Length);
        return _samples.AsSpan(0, n).ToArray();
    }
}
