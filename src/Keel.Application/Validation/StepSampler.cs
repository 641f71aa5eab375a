namespace Keel.Application.Validation;

/// <summary>
/// Chooses the steps a chart shows of a long metric history, exactly as MLflow's
/// <c>_get_sampled_steps_from_steps</c> does so a chart matches MLflow's: the steps inside
/// [start, end]; when there are more than <c>maxResults</c>, every (n / maxResults)-th of them plus
/// the last one (so up to maxResults + 1 steps).
/// </summary>
internal static class StepSampler
{
    /// <param name="start">First step of the window.</param>
    /// <param name="end">Last step of the window.</param>
    /// <param name="maxResults">How many steps to aim for.</param>
    /// <param name="sortedSteps">Distinct steps in ascending order.</param>
    public static HashSet<long> Sample(long start, long end, int maxResults, IReadOnlyList<long> sortedSteps)
    {
        var from = LowerBound(sortedSteps, start);
        var to = UpperBound(sortedSteps, end);
        var count = to - from;
        var chosen = new HashSet<long>();
        if (count <= maxResults)
        {
            for (var i = from; i < to; i++)
            {
                chosen.Add(sortedSteps[i]);
            }

            return chosen;
        }

        var interval = (double)count / maxResults;
        for (var i = 0; i < maxResults; i++)
        {
            var index = from + (int)(i * interval);

            // MLflow compares the absolute index with the window's size here, which drops picks from
            // a window that does not start at the first step; kept so the charts agree.
            if (index < count)
            {
                chosen.Add(sortedSteps[index]);
            }
        }

        chosen.Add(sortedSteps[to - 1]);
        return chosen;
    }

    private static int LowerBound(IReadOnlyList<long> steps, long value)
    {
        int lo = 0, hi = steps.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (steps[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(IReadOnlyList<long> steps, long value)
    {
        int lo = 0, hi = steps.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (steps[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
