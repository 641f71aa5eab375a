using Keel.Core.Search;

namespace Keel.Compute.Search;

/// <summary>
/// Parses MLflow search filters and order-by clauses into <see cref="Comparison"/> and
/// <see cref="OrderBy"/> lists. Errors are INVALID_PARAMETER_VALUE with MLflow's wording.
/// </summary>
public static class SearchFilterParser
{
    public static IReadOnlyList<Comparison> ParseRunFilter(string? filter) =>
        FilterParser.Parse(filter, SearchSchema.Runs);

    public static IReadOnlyList<OrderBy> ParseRunOrderBy(IReadOnlyList<string>? orderBy) =>
        OrderByParser.Parse(orderBy, SearchSchema.Runs);

    public static IReadOnlyList<Comparison> ParseExperimentFilter(string? filter) =>
        FilterParser.Parse(filter, SearchSchema.Experiments);

    public static IReadOnlyList<OrderBy> ParseExperimentOrderBy(IReadOnlyList<string>? orderBy) =>
        OrderByParser.Parse(orderBy, SearchSchema.Experiments);

    public static IReadOnlyList<Comparison> ParseRegisteredModelFilter(string? filter) =>
        FilterParser.Parse(filter, SearchSchema.RegisteredModels);

    public static IReadOnlyList<OrderBy> ParseRegisteredModelOrderBy(IReadOnlyList<string>? orderBy) =>
        OrderByParser.Parse(orderBy, SearchSchema.RegisteredModels);

    public static IReadOnlyList<Comparison> ParseModelVersionFilter(string? filter) =>
        FilterParser.Parse(filter, SearchSchema.ModelVersions);

    public static IReadOnlyList<OrderBy> ParseModelVersionOrderBy(IReadOnlyList<string>? orderBy) =>
        OrderByParser.Parse(orderBy, SearchSchema.ModelVersions);
}
