using Keel.Compute.Search;
using Xunit;

namespace Keel.Compute.Tests;

/// <summary>
/// Searches past the declared limits are refused by the parser, naming the limit, before a store
/// would fail on them (SQLite: "Expression tree is too large", "at most 64 tables in a join").
/// </summary>
public sealed class SearchLimitTests
{
    public static TheoryData<string> Searches => ["runs", "experiments", "registered_models", "model_versions"];

    [Theory]
    [MemberData(nameof(Searches))]
    public void Filter_of_up_to_the_limit_of_comparisons_parses_and_one_more_is_refused(string search)
    {
        Assert.Equal(SearchLimits.MaxFilterComparisons, Filter(search, Clauses(SearchLimits.MaxFilterComparisons)).Count);

        ErrorAssert.InvalidParameter(
            () => Filter(search, Clauses(1000)),
            $"at most {SearchLimits.MaxFilterComparisons} AND-ed comparisons are allowed");
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Order_by_past_the_limit_is_refused(string search)
    {
        var attribute = search == "runs" ? "start_time" : "name";
        Assert.Equal(SearchLimits.MaxOrderByClauses, OrderBy(search, Enumerable.Repeat(attribute, SearchLimits.MaxOrderByClauses).ToList()).Count);

        ErrorAssert.InvalidParameter(
            () => OrderBy(search, Enumerable.Repeat(attribute, 64).ToList()),
            $"64 clauses given; at most {SearchLimits.MaxOrderByClauses} order_by clauses are allowed");
    }

    [Fact]
    public void In_lists_count_towards_the_values_limit()
    {
        var ids = string.Join(", ", Enumerable.Range(0, SearchLimits.MaxFilterValues + 1).Select(i => $"'r{i}'"));

        ErrorAssert.InvalidParameter(
            () => SearchFilterParser.ParseRunFilter($"attributes.run_id IN ({ids})"),
            $"at most {SearchLimits.MaxFilterValues} values are allowed");
    }

    [Fact]
    public void Like_patterns_are_limited_in_characters_not_UTF16_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", SearchLimits.MaxPatternLength));
        Assert.Single(SearchFilterParser.ParseRunFilter($"params.p LIKE '{emoji}'"));

        ErrorAssert.InvalidParameter(
            () => SearchFilterParser.ParseRunFilter($"params.p LIKE '{emoji}x'"),
            $"has {SearchLimits.MaxPatternLength + 1} characters; at most {SearchLimits.MaxPatternLength} are allowed");
    }

    private static string Clauses(int count) =>
        string.Join(" AND ", Enumerable.Range(0, count).Select(i => $"tags.t{i} = 'v'"));

    private static IReadOnlyList<object> Filter(string search, string filter) => search switch
    {
        "runs" => [.. SearchFilterParser.ParseRunFilter(filter)],
        "experiments" => [.. SearchFilterParser.ParseExperimentFilter(filter)],
        "registered_models" => [.. SearchFilterParser.ParseRegisteredModelFilter(filter)],
        _ => [.. SearchFilterParser.ParseModelVersionFilter(filter)],
    };

    private static IReadOnlyList<object> OrderBy(string search, List<string> items) => search switch
    {
        "runs" => [.. SearchFilterParser.ParseRunOrderBy(items)],
        "experiments" => [.. SearchFilterParser.ParseExperimentOrderBy(items)],
        "registered_models" => [.. SearchFilterParser.ParseRegisteredModelOrderBy(items)],
        _ => [.. SearchFilterParser.ParseModelVersionOrderBy(items)],
    };
}
