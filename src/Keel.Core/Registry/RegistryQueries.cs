using Keel.Core.Search;

namespace Keel.Core.Registry;

/// <summary>A validated registered-model search (filter on name and tags).</summary>
/// <param name="Filter">AND-ed comparisons, already parsed and validated.</param>
/// <param name="OrderBy">Order-by clauses, first is most significant.</param>
/// <param name="Offset">How many results to skip (decoded from the page token).</param>
/// <param name="MaxResults">Page size.</param>
/// <param name="FilterText">The caller's filter text, for a remote store to forward.</param>
/// <param name="OrderByText">The caller's order-by text, for a remote store to forward.</param>
public sealed record RegisteredModelQuery(
    IReadOnlyList<Comparison> Filter,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);

/// <summary>A validated model-version search (filter on name, run_id, source_path, version_number, tags).</summary>
/// <param name="Filter">AND-ed comparisons, already parsed and validated.</param>
/// <param name="OrderBy">Order-by clauses, first is most significant.</param>
/// <param name="Offset">How many results to skip (decoded from the page token).</param>
/// <param name="MaxResults">Page size.</param>
/// <param name="FilterText">The caller's filter text, for a remote store to forward.</param>
/// <param name="OrderByText">The caller's order-by text, for a remote store to forward.</param>
public sealed record ModelVersionQuery(
    IReadOnlyList<Comparison> Filter,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);
