using System.Globalization;
using Keel.Compute.Charts;
using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Application;

/// <summary>A metric history reduced to what a chart can show (the web UI's metric charts).</summary>
public sealed partial class TrackingService
{
    /// <summary>The most points a downsampled history answers unless asked.</summary>
    public const int DefaultChartPoints = 1000;

    /// <summary>The most points a downsampled history may be asked for.</summary>
    public const int MaxChartPoints = 10_000;

    /// <summary>
    /// One metric's full history, ordered by step (x = "step", the default) or by time (x = "time"),
    /// reduced with LTTB to at most <paramref name="maxPoints"/> points (default
    /// <see cref="DefaultChartPoints"/>, 2..<see cref="MaxChartPoints"/>) that keep its shape.
    /// </summary>
    public async Task<MetricHistorySample> GetDownsampledMetricHistoryAsync(
        string? runId, string? metricKey, int? maxPoints, string? x, CancellationToken cancellationToken = default)
    {
        var max = maxPoints ?? DefaultChartPoints;
        if (max is < 2 or > MaxChartPoints)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value {max.ToString(CultureInfo.InvariantCulture)} for parameter 'max_points': it must be between 2 and {MaxChartPoints.ToString(CultureInfo.InvariantCulture)}.");
        }

        var byTime = (x ?? "step") switch
        {
            "step" => false,
            "time" => true,
            _ => throw KeelException.InvalidParameter($"Invalid value '{x}' for parameter 'x': expected step or time."),
        };

        var history = await GetMetricHistoryAsync(runId, metricKey, cancellationToken).ConfigureAwait(false);
        // Stores answer in step order already; sorting 100,000 points again would cost more than the read.
        var ordered = history as Metric[] ?? [.. history];
        if (!IsOrdered(ordered, byTime))
        {
            ordered = byTime
                ? [.. ordered.OrderBy(m => m.Timestamp).ThenBy(m => m.Step)]
                : [.. ordered.OrderBy(m => m.Step).ThenBy(m => m.Timestamp)];
        }

        // The extremes of the full history: a chart's points may leave one out.
        double? min = null, maxValue = null;
        foreach (var m in ordered)
        {
            if (double.IsFinite(m.Value))
            {
                min = min is { } lo && lo <= m.Value ? lo : m.Value;
                maxValue = maxValue is { } hi && hi >= m.Value ? hi : m.Value;
            }
        }

        if (ordered.Length <= max)
        {
            return new MetricHistorySample(ordered, ordered.Length, Downsampled: false, min, maxValue);
        }

        var xs = new double[ordered.Length];
        var ys = new double[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            xs[i] = byTime ? ordered[i].Timestamp : ordered[i].Step;
            ys[i] = ordered[i].Value;
        }

        var kept = Lttb.Select(xs, ys, max);
        var points = new Metric[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            points[i] = ordered[kept[i]];
        }

        return new MetricHistorySample(points, ordered.Length, Downsampled: true, min, maxValue);
    }

    private static bool IsOrdered(Metric[] points, bool byTime)
    {
        for (var i = 1; i < points.Length; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            var order = byTime
                ? (a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Step.CompareTo(b.Step))
                : (a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp));
            if (order > 0)
            {
                return false;
            }
        }

        return true;
    }
}
