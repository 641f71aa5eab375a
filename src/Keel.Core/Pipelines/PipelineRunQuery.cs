namespace Keel.Core.Pipelines;

/// <summary>Which runs to list, newest first.</summary>
/// <param name="Pipeline">Only this pipeline's runs; null for all.</param>
/// <param name="States">Only runs in these states; null or empty for all.</param>
/// <param name="BeforeId">Only runs with a smaller id (paging); null from the newest.</param>
/// <param name="MaxResults">The most runs to return.</param>
public sealed record PipelineRunQuery(string? Pipeline = null, IReadOnlyList<PipelineRunState>? States = null, long? BeforeId = null, int MaxResults = 100);
