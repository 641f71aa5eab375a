namespace Keel.Application.Validation;

/// <summary>
/// Picks at most <c>maxResults</c> steps of a metric, evenly spread and always keeping the first and
/// the last, as MLflow's <c>_get_sampled_steps_from_steps</c> does for charts over long histories.
/// </summary>
internal static class StepSampler
{
    /// <param name="sortedDistinctSteps">Steps in ascending order, without duplicates.</param>
    public static HashSet<long> Sample(IReadOnlyList<long> sortedDistinctSteps, int maxResults)
    {
        var n = sortedDistinctSteps.Count;
        if (n <= maxResults)
        {
            return [.. sortedDistinctSteps];
        }

        var picked = new HashSet<long>(maxResults) { sortedDistinctSteps[0], sortedDistinctSteps[n - 1] };
        if (maxResults <= 2)
        {
            return picked;
        }

        // maxResults - 1 equal intervals between the first and the last index.
        for (var i = 1; i < maxResults - 1; i++)
        {
            var index = (int)Math.Round((double)i * (n - 1) / (maxResults - 1), MidpointRounding.AwayFromZero);
            picked.Add(sortedDistinctSteps[index]);
        }

        return picked;
    }
}
