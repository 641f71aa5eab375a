using Keel.Core.Tracking;

namespace Keel.Core.Search;

/// <summary>
/// A validated run search. <see cref="FilterText"/> and <see cref="OrderByText"/> keep the caller's
/// original text so a remote store can forward it unchanged; a local store uses the parsed forms.
/// </summary>
/// <param name="ExperimentIds">The experiments to search.</param>
/// <param name="Filter">AND-ed comparisons, already parsed and validated.</param>
/// <param name="ViewType">Which lifecycle stages to return.</param>
/// <param name="OrderBy">Order-by clauses, first is most significant.</param>
/// <param name="Offset">How many results to skip (decoded from the page token).</param>
/// <param name="MaxResults">Page size.</param>
/// <param name="FilterText">The caller's filter text, for a remote store to forward.</param>
/// <param name="OrderByText">The caller's order-by text, for a remote store to forward.</param>
public sealed record RunQuery(
    IReadOnlyList<string> ExperimentIds,
    IReadOnlyList<Comparison> Filter,
    ViewType ViewType,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);

/// <summary>A validated experiment search; see <see cref="RunQuery"/> for the text fields.</summary>
/// <param name="Filter">AND-ed comparisons, already parsed and validated.</param>
/// <param name="ViewType">Which lifecycle stages to return.</param>
/// <param name="OrderBy">Order-by clauses, first is most significant.</param>
/// <param name="Offset">How many results to skip (decoded from the page token).</param>
/// <param name="MaxResults">Page size.</param>
/// <param name="FilterText">The caller's filter text, for a remote store to forward.</param>
/// <param name="OrderByText">The caller's order-by text, for a remote store to forward.</param>
public sealed record ExperimentQuery(
    IReadOnlyList<Comparison> Filter,
    ViewType ViewType,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);
