using System.Globalization;
using Keel.Application.Validation;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// The metric-history reads MLflow's UI makes for its charts (the <c>ajax-api</c> routes
/// <c>metrics/get-history-bulk</c> and <c>metrics/get-history-bulk-interval</c>), with MLflow's
/// limits, wording, ordering and step sampling.
/// </summary>
public sealed partial class TrackingService
{

    /// <summary>
    /// One metric's full history over several runs: by run id, then timestamp, step and value, at
    /// most <paramref name="maxResults"/> points in all (25,000 when unset, and never more). Runs
    /// that do not exist contribute nothing, as with MLflow's database store.
    /// </summary>
    public async Task<IReadOnlyList<MetricWithRunId>> GetMetricHistoryBulkAsync(
        IReadOnlyList<string>? runIds, string? metricKey, int? maxResults, CancellationToken cancellationToken = default)
    {
        if (runIds is null || runIds.Count == 0)
        {
            throw KeelException.InvalidParameter("GetMetricHistoryBulk request must specify at least one run_id.");
        }

        if (runIds.Count > RequestLimits.MaxRunsPerBulkHistory)
        {
            throw KeelException.InvalidParameter(
                $"GetMetricHistoryBulk request cannot specify more than {RequestLimits.MaxRunsPerBulkHistory} run_ids. Received {runIds.Count} run_ids.");
        }

        if (metricKey is null)
        {
            throw KeelException.InvalidParameter("GetMetricHistoryBulk request must specify a metric_key.");
        }

        if (maxResults < 0)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value {maxResults.Value.ToString(CultureInfo.InvariantCulture)} for parameter 'max_results' supplied. It must be a non-negative integer.");
        }

        var max = Math.Min(maxResults ?? RequestLimits.MaxBulkHistoryResults, RequestLimits.MaxBulkHistoryResults);
        var result = new List<MetricWithRunId>();
        foreach (var runId in runIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (result.Count >= max)
            {
                break;
            }

            var history = await HistoryOrEmptyAsync(runId, metricKey, cancellationToken).ConfigureAwait(false);
            foreach (var m in history.OrderBy(m => m.Timestamp).ThenBy(m => m.Step).ThenBy(m => m.Value))
            {
                result.Add(new MetricWithRunId(runId, m));
            }
        }

        return result.Count > max ? result.GetRange(0, max) : result;
    }

    /// <summary>
    /// One metric of several runs sampled for a chart: at most about <paramref name="maxResults"/>
    /// steps (default <see cref="RequestLimits.MaxResultsPerRunBulkHistory"/>) chosen evenly from the steps any of the runs logged in the window
    /// (<paramref name="startStep"/>..<paramref name="endStep"/>, default 0..the last step), plus
    /// each run's first and last step. Every point at a chosen step is returned, run by run in the
    /// order asked, then by step, timestamp and value.
    /// </summary>
    public async Task<IReadOnlyList<MetricWithRunId>> GetMetricHistoryBulkIntervalAsync(
        IReadOnlyList<string>? runIds, string? metricKey, long? startStep, long? endStep, int? maxResults, CancellationToken cancellationToken = default)
    {
        if (runIds is null || runIds.Count == 0)
        {
            throw KeelException.MissingParameter("run_ids");
        }

        if (runIds.Count > RequestLimits.MaxRunsPerBulkHistory)
        {
            throw KeelException.InvalidParameter(
                $"GetMetricHistoryBulkInterval request must specify at most {RequestLimits.MaxRunsPerBulkHistory} run_ids. Received {runIds.Count} run_ids. See the API docs for more information about request parameters.");
        }

        var key = Ids.Require(metricKey, "metric_key");
        var max = maxResults ?? RequestLimits.MaxResultsPerRunBulkHistory;
        if (max is < 1 or > RequestLimits.MaxResultsPerRunBulkHistory)
        {
            throw KeelException.InvalidParameter(
                $"max_results must be between 1 and {RequestLimits.MaxResultsPerRunBulkHistory}. See the API docs for more information about request parameters.");
        }

        if (startStep.HasValue != endStep.HasValue)
        {
            throw KeelException.InvalidParameter("If either start step or end step are specified, both must be specified.");
        }

        if (startStep > endStep)
        {
            throw KeelException.InvalidParameter(
                $"end_step must be greater than start_step. Found start_step={startStep} and end_step={endStep}.");
        }

        // Sampling runs over the steps of all runs together, so the runs' points line up on a chart.
        var histories = new List<IReadOnlyList<Metric>>(runIds.Count);
        var allSteps = new SortedSet<long>();
        var firstAndLast = new HashSet<long>();
        foreach (var runId in runIds)
        {
            var history = await HistoryOrEmptyAsync(runId, key, cancellationToken).ConfigureAwait(false);
            histories.Add(history);
            if (history.Count > 0)
            {
                firstAndLast.Add(history.Min(m => m.Step));
                firstAndLast.Add(history.Max(m => m.Step));
                foreach (var m in history)
                {
                    allSteps.Add(m.Step);
                }
            }
        }

        var sorted = allSteps.ToList();
        var start = startStep ?? 0;
        var end = endStep ?? (sorted.Count > 0 ? sorted[^1] : 0);
        var chosen = StepSampler.Sample(start, end, max, sorted);
        chosen.UnionWith(firstAndLast.Where(s => s >= start && s <= end));

        var result = new List<MetricWithRunId>();
        for (var i = 0; i < runIds.Count; i++)
        {
            var points = histories[i].Where(m => chosen.Contains(m.Step))
                .OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ThenBy(m => m.Value)
                .Take(RequestLimits.MaxBulkHistoryResults);
            foreach (var m in points)
            {
                result.Add(new MetricWithRunId(runIds[i], m));
            }
        }

        return result;
    }

    private async Task<IReadOnlyList<Metric>> HistoryOrEmptyAsync(string runId, string metricKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetMetricHistoryAsync(Ids.RequireRunId(runId, "run_ids"), metricKey, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return [];
        }
    }
}
