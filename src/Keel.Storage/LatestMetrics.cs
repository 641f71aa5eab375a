using Keel.Core.Tracking;

namespace Keel.Storage;

/// <summary>
/// MLflow's rule for a metric's latest value: the greatest step, then the greatest timestamp, then
/// the greatest value, where NaN never wins a value tie.
/// </summary>
internal static class LatestMetrics
{
    /// <summary>
    /// One candidate per key, in first-appearance order, so a batch of 1000 points of one metric
    /// costs one upsert of the latest value, not 1000.
    /// </summary>
    public static List<Metric> Candidates(IReadOnlyList<Metric> metrics)
    {
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<Metric>();
        foreach (var metric in metrics)
        {
            if (!latest.TryGetValue(metric.Key, out var index))
            {
                latest[metric.Key] = candidates.Count;
                candidates.Add(metric);
            }
            else if (IsNewer(metric, candidates[index]))
            {
                candidates[index] = metric;
            }
        }

        return candidates;
    }

    public static bool IsNewer(Metric candidate, Metric current) =>
        candidate.Step > current.Step
        || (candidate.Step == current.Step && candidate.Timestamp > current.Timestamp)
        || (candidate.Step == current.Step && candidate.Timestamp == current.Timestamp
            && !double.IsNaN(candidate.Value) && !double.IsNaN(current.Value) && candidate.Value > current.Value);
}
