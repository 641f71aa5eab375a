namespace Keel.Core.Wire;

/// <summary>One point of a downsampled metric history.</summary>
public sealed class ChartPoint
{
    /// <summary>The training step.</summary>
    public long Step { get; set; }

    /// <summary>When it was measured, Unix milliseconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>The value (NaN and infinities as the strings "NaN", "Infinity", "-Infinity").</summary>
    public double Value { get; set; }
}

/// <summary>Answer of GET /api/2.0/keel/metrics/history-downsampled.</summary>
public sealed class DownsampledHistoryResponse
{
    /// <summary>The points kept, in x order.</summary>
    public List<ChartPoint>? Points { get; set; }

    /// <summary>How many points the full history has.</summary>
    public int Total { get; set; }

    /// <summary>Whether points were left out (the history had more than max_points).</summary>
    public bool Downsampled { get; set; }

    /// <summary>The smallest finite value of the full history (left out when it has none).</summary>
    public double? Min { get; set; }

    /// <summary>The largest finite value of the full history (left out when it has none).</summary>
    public double? Max { get; set; }
}
