using Keel.Core.Search;

namespace Keel.Core.Registry;

/// <summary>A validated registered-model search (filter on name and tags).</summary>
public sealed record RegisteredModelQuery(
    IReadOnlyList<Comparison> Filter,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);

/// <summary>A validated model-version search (filter on name, run_id, source_path, version_number, tags).</summary>
public sealed record ModelVersionQuery(
    IReadOnlyList<Comparison> Filter,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);
