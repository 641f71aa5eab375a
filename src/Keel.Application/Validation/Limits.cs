using Keel.Core.Errors;
using Keel.Core.Text;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>The checks of the size limits in <see cref="RequestLimits"/>, with MLflow's wording.</summary>
internal static class Limits
{
    public static void CheckLength(string what, string? value, int limit)
    {
        // MLflow counts characters (code points), so a 3000-emoji value fits a 5000 limit.
        if (value is not null && CodePoints.Exceeds(value, limit))
        {
            throw KeelException.InvalidParameter(
                $"{what} '{Truncate(value)}' had length {CodePoints.Count(value)}, which exceeded length limit of {limit}");
        }
    }

    public static void CheckBatchSizes(int metrics, int @params, int tags)
    {
        CheckBatchCount(metrics, RequestLimits.MaxMetricsPerBatch, "metrics");
        CheckBatchCount(@params, RequestLimits.MaxParamsPerBatch, "params");
        CheckBatchCount(tags, RequestLimits.MaxTagsPerBatch, "tags");
        var total = metrics + @params + tags;
        if (total > RequestLimits.MaxEntitiesPerBatch)
        {
            throw KeelException.InvalidParameter(
                $"A batch logging request can contain at most {RequestLimits.MaxEntitiesPerBatch} total metrics, params, and tags. Got {total} total. Please split up metrics, params, and tags across multiple requests and try again.");
        }
    }

    /// <summary>Resolves max_results for searches: default when unset, 1..50000 otherwise.</summary>
    public static int SearchMaxResults(long? maxResults)
    {
        if (maxResults is null)
        {
            return RequestLimits.DefaultSearchResults;
        }

        var value = maxResults.Value;
        if (value > RequestLimits.MaxSearchResults)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value {value} for parameter 'max_results' supplied. Hint: Value was of type 'int'. See the API docs for more information about request parameters.");
        }

        if (value < 1)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be a positive integer, but got value {value}");
        }

        return (int)value;
    }

    private static void CheckBatchCount(int count, int limit, string what)
    {
        if (count > limit)
        {
            throw KeelException.InvalidParameter(
                $"A batch logging request can contain at most {limit} {what}. Got {count} {what}. Please split up {what} across multiple requests and try again.");
        }
    }

    // Error messages echo the value; a 6 MB value would make a 6 MB error.
    private static string Truncate(string value)
    {
        var prefix = CodePoints.Prefix(value, 250);
        return prefix.Length == value.Length ? value : prefix + "...";
    }
}
