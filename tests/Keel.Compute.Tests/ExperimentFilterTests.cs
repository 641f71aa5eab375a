using Keel.Compute.Search;
using Keel.Core.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class ExperimentFilterTests
{
    [Fact]
    public void Parses_attributes_and_tags()
    {
        var result = SearchFilterParser.ParseExperimentFilter(
            "name LIKE 'exp%' AND creation_time > 100 and attributes.last_update_time <= 2.5e3 AND tags.owner = 'me' AND tags.`team x` IS NOT NULL");

        Assert.Equal(
            new[]
            {
                new Comparison(SearchEntity.Attribute, "name", Comparator.Like, "exp%"),
                new Comparison(SearchEntity.Attribute, "creation_time", Comparator.Greater, 100.0),
                new Comparison(SearchEntity.Attribute, "last_update_time", Comparator.LessOrEqual, 2500.0),
                new Comparison(SearchEntity.Tag, "owner", Comparator.Equal, "me"),
                new Comparison(SearchEntity.Tag, "team x", Comparator.IsNotNull, null),
            },
            result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Empty_filter(string? filter)
    {
        Assert.Empty(SearchFilterParser.ParseExperimentFilter(filter));
    }

    [Theory]
    [InlineData("name = 'a'", Comparator.Equal)]
    [InlineData("name != 'a'", Comparator.NotEqual)]
    [InlineData("name ILIKE 'a%'", Comparator.ILike)]
    [InlineData("attr.name LIKE 'a%'", Comparator.Like)]
    [InlineData("tag.k ILIKE 'a%'", Comparator.ILike)]
    [InlineData("tags.k IS NULL", Comparator.IsNull)]
    [InlineData("creation_time != 0", Comparator.NotEqual)]
    public void Comparators(string filter, Comparator op)
    {
        Assert.Equal(op, Assert.Single(SearchFilterParser.ParseExperimentFilter(filter)).Op);
    }

    [Theory]
    [InlineData("metrics.a > 1", "Invalid entity type 'metrics'. Valid values are ['attribute', 'tag']")]
    [InlineData("params.a = 'x'", "Invalid entity type 'params'")]
    [InlineData("status = 'x'", "Invalid attribute key 'status' specified. Valid keys are ['name', 'creation_time', 'last_update_time']")]
    [InlineData("name > 'a'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'")]
    [InlineData("name IS NULL", "Invalid comparator 'IS NULL'")]
    [InlineData("creation_time LIKE 1", "Invalid comparator 'LIKE'")]
    [InlineData("creation_time > 'x'", "Expected numeric value type for numeric attribute: creation_time. Found 'x'")]
    [InlineData("name = abc", "Expected a quoted string value for attributes. Got value abc")]
    [InlineData("tags.k = v", "Tag value is either not quoted")]
    [InlineData("name = 'a' OR name = 'b'", "Invalid clause(s) in filter string: 'OR'")]
    public void Errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseExperimentFilter(filter), fragment);
    }
}
