using Keel.Compute.Search;
using Keel.Core.Errors;
using Keel.Core.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class RegistryFilterTests
{
    [Fact]
    public void Registered_model_filter_on_name_and_tags()
    {
        var result = SearchFilterParser.ParseRegisteredModelFilter("name LIKE 'model-%' AND tags.`team x` = 'ml'");

        Assert.Equal(
            new[]
            {
                new Comparison(SearchEntity.Attribute, "name", Comparator.Like, "model-%"),
                new Comparison(SearchEntity.Tag, "team x", Comparator.Equal, "ml"),
            },
            result);
    }

    [Theory]
    [InlineData("run_id = 'a'")]
    [InlineData("version_number = 1")]
    [InlineData("creation_timestamp > 1")]
    public void Registered_model_filter_rejects_version_keys(string filter)
    {
        var ex = Assert.Throws<KeelException>(() => SearchFilterParser.ParseRegisteredModelFilter(filter));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("Invalid attribute key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_model_filter_rejects_metrics_entity()
    {
        var ex = Assert.Throws<KeelException>(() => SearchFilterParser.ParseRegisteredModelFilter("metrics.acc > 1"));
        Assert.Contains("Invalid entity type 'metrics'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_version_filter_with_run_id_in_and_version_number()
    {
        var result = SearchFilterParser.ParseModelVersionFilter(
            "name='model-1' AND run_id IN ('a','b') AND version_number >= 2 AND source_path LIKE 's3://%' AND tags.stage != 'x'");

        Assert.Equal(5, result.Count);
        Assert.Equal(new Comparison(SearchEntity.Attribute, "name", Comparator.Equal, "model-1"), result[0]);
        Assert.Equal(SearchEntity.Attribute, result[1].Entity);
        Assert.Equal("run_id", result[1].Key);
        Assert.Equal(Comparator.In, result[1].Op);
        Assert.Equal(["a", "b"], result[1].ListValue);
        Assert.Equal(new Comparison(SearchEntity.Attribute, "version_number", Comparator.GreaterOrEqual, 2.0), result[2]);
        Assert.Equal(new Comparison(SearchEntity.Attribute, "source_path", Comparator.Like, "s3://%"), result[3]);
        Assert.Equal(new Comparison(SearchEntity.Tag, "stage", Comparator.NotEqual, "x"), result[4]);
    }

    [Fact]
    public void Version_number_needs_a_number()
    {
        var ex = Assert.Throws<KeelException>(() => SearchFilterParser.ParseModelVersionFilter("version_number = '1'"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
    }

    [Fact]
    public void In_is_only_for_run_id()
    {
        Assert.Throws<KeelException>(() => SearchFilterParser.ParseModelVersionFilter("name IN ('a')"));
    }

    [Fact]
    public void Registered_model_order_by_with_timestamp_alias()
    {
        var result = SearchFilterParser.ParseRegisteredModelOrderBy(["name DESC", "timestamp", "last_updated_timestamp ASC"]);

        Assert.Equal(
            new[]
            {
                new OrderBy(SearchEntity.Attribute, "name", false),
                new OrderBy(SearchEntity.Attribute, "creation_timestamp", true),
                new OrderBy(SearchEntity.Attribute, "last_updated_timestamp", true),
            },
            result);
    }

    [Fact]
    public void Model_version_order_by_version_number()
    {
        var result = SearchFilterParser.ParseModelVersionOrderBy(["version_number DESC", "creation_timestamp"]);
        Assert.Equal(new OrderBy(SearchEntity.Attribute, "version_number", false), result[0]);
        Assert.Equal(new OrderBy(SearchEntity.Attribute, "creation_timestamp", true), result[1]);
    }

    [Theory]
    [InlineData("version_number")]
    [InlineData("tags.x")]
    [InlineData("run_id")]
    public void Registered_model_order_by_rejects_other_keys(string clause)
    {
        Assert.Throws<KeelException>(() => SearchFilterParser.ParseRegisteredModelOrderBy([clause]));
    }
}
