namespace Keel.Core.Wire;

/// <summary>
/// Every size limit of a request to Keel's APIs, declared once: MLflow 2.12.2's (its
/// <c>mlflow/utils/validation.py</c> and <c>handlers.py</c>, which MLflow's clients are written
/// against) and those of Keel's own API. The server's checks and their messages, the SDK's batching
/// and the CLI's help all read them from here. Search-expression limits are
/// <c>Keel.Compute.Search.SearchLimits</c>; body sizes are the server's (<c>WireIO</c>).
/// </summary>
public static class RequestLimits
{
    /// <summary>Characters of a metric, param, run tag or experiment tag key.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>Characters of a param value.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>Characters of a run tag value.</summary>
    public const int MaxRunTagValueLength = 5000;

    /// <summary>Characters of an experiment tag value.</summary>
    public const int MaxExperimentTagValueLength = 5000;

    /// <summary>Characters of a registered-model or model-version tag key.</summary>
    public const int MaxRegistryTagKeyLength = 250;

    /// <summary>Characters of a registered-model or model-version tag value.</summary>
    public const int MaxRegistryTagValueLength = 5000;

    /// <summary>Metrics in one log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Params in one log-batch request.</summary>
    public const int MaxParamsPerBatch = 100;

    /// <summary>Tags in one log-batch request.</summary>
    public const int MaxTagsPerBatch = 100;

    /// <summary>Metrics, params and tags together in one log-batch request.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>max_results of experiment and run searches.</summary>
    public const int MaxSearchResults = 50000;

    /// <summary>max_results of experiment and run searches when none is given.</summary>
    public const int DefaultSearchResults = 1000;

    /// <summary>max_results of registered-model searches.</summary>
    public const int MaxModelSearchResults = 1000;

    /// <summary>max_results of registered-model searches when none is given.</summary>
    public const int DefaultModelSearchResults = 100;

    /// <summary>max_results of model-version searches.</summary>
    public const int MaxVersionSearchResults = 200000;

    /// <summary>max_results of model-version searches when none is given.</summary>
    public const int DefaultVersionSearchResults = 10000;

    /// <summary>Characters of a registered-model alias.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>run_ids of one get-history-bulk or get-history-bulk-interval request.</summary>
    public const int MaxRunsPerBulkHistory = 100;

    /// <summary>Metric points one get-history-bulk request returns.</summary>
    public const int MaxBulkHistoryResults = 25000;

    /// <summary>Steps per run of one get-history-bulk-interval request (also its default).</summary>
    public const int MaxResultsPerRunBulkHistory = 2500;

    /// <summary>Characters of a dataset name.</summary>
    public const int MaxDatasetNameLength = 500;

    /// <summary>Characters of a dataset digest.</summary>
    public const int MaxDatasetDigestLength = 36;

    /// <summary>Characters of a dataset schema.</summary>
    public const int MaxDatasetSchemaLength = 65535;

    /// <summary>Characters of a dataset source.</summary>
    public const int MaxDatasetSourceLength = 65535;

    /// <summary>Characters of a dataset profile (16 MB - 1, a MySQL MEDIUMTEXT).</summary>
    public const int MaxDatasetProfileLength = 16_777_215;

    /// <summary>Characters of an input tag key.</summary>
    public const int MaxInputTagKeyLength = 255;

    /// <summary>Characters of an input tag value.</summary>
    public const int MaxInputTagValueLength = 500;

    /// <summary>experiment_ids of one search-datasets request.</summary>
    public const int MaxExperimentsPerDatasetSearch = 20;

    /// <summary>Dataset summaries one search-datasets request returns.</summary>
    public const int MaxDatasetSummaries = 1000;

    /// <summary>Events one audit-trail read returns (registry and serving events, Keel's API).</summary>
    public const int MaxEvents = 1000;

    /// <summary>Events an audit-trail read returns when no max_results is given.</summary>
    public const int DefaultEvents = 100;
}
