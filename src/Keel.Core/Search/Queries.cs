using Keel.Core.Tracking;

namespace Keel.Core.Search;

/// <summary>
/// A validated run search. <see cref="FilterText"/> and <see cref="OrderByText"/> keep the caller's
/// original text so a remote store can forward it unchanged; a local store uses the parsed forms.
/// </summary>
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
public sealed record ExperimentQuery(
    IReadOnlyList<Comparison> Filter,
    ViewType ViewType,
    IReadOnlyList<OrderBy> OrderBy,
    int Offset,
    int MaxResults,
    string? FilterText = null,
    IReadOnlyList<string>? OrderByText = null);
