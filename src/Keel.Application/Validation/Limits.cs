using Keel.Core.Errors;
using Keel.Core.Text;

namespace Keel.Application.Validation;

/// <summary>MLflow 2.12.2's size limits (API.md 1.9) and the checks that enforce them with MLflow's wording.</summary>
internal static class Limits
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxRunTagValueLength = 5000;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxSearchResults = 50000;
    public const int DefaultSearchResults = 1000;
    public const int MaxRunsPerBulkHistory = 100;
    public const int MaxResultsPerRunBulkHistory = 2500;
    public const int MaxDatasetNameLength = 500;
    public const int MaxDatasetDigestLength = 36;
    public const int MaxDatasetSchemaLength = 65535;
    public const int MaxDatasetSourceLength = 65535;
    public const int MaxDatasetProfileLength = 16 * 1024 * 1024;
    public const int MaxInputTagKeyLength = 255;
    public const int MaxInputTagValueLength = 500;
    public const int MaxExperimentsPerDatasetSearch = 20;
    public const int MaxDatasetSummaries = 1000;

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
        CheckBatchCount(metrics, MaxMetricsPerBatch, "metrics");
        CheckBatchCount(@params, MaxParamsPerBatch, "params");
        CheckBatchCount(tags, MaxTagsPerBatch, "tags");
        var total = metrics + @params + tags;
        if (total > MaxEntitiesPerBatch)
        {
            throw KeelException.InvalidParameter(
                $"A batch logging request can contain at most {MaxEntitiesPerBatch} total metrics, params, and tags. Got {total} total. Please split up metrics, params, and tags across multiple requests and try again.");
        }
    }

    /// <summary>Resolves max_results for searches: default when unset, 1..50000 otherwise.</summary>
    public static int SearchMaxResults(long? maxResults)
    {
        if (maxResults is null)
        {
            return DefaultSearchResults;
        }

        var value = maxResults.Value;
        if (value > MaxSearchResults)
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
