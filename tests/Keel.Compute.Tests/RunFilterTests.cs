using Keel.Compute.Search;
using Keel.Core.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class RunFilterTests
{
    [Fact]
    public void Parses_the_documented_example()
    {
        var result = SearchFilterParser.ParseRunFilter(
            "metrics.acc > 0.5 and params.lr = '0.1' and tags.t1 LIKE 'v%' and attributes.status = 'FINISHED'");

        Assert.Equal(
            new[]
            {
                new Comparison(SearchEntity.Metric, "acc", Comparator.Greater, 0.5),
                new Comparison(SearchEntity.Param, "lr", Comparator.Equal, "0.1"),
                new Comparison(SearchEntity.Tag, "t1", Comparator.Like, "v%"),
                new Comparison(SearchEntity.Attribute, "status", Comparator.Equal, "FINISHED"),
            },
            result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n")]
    public void Empty_filter_gives_no_comparisons(string? filter)
    {
        Assert.Empty(SearchFilterParser.ParseRunFilter(filter));
    }

    [Theory]
    [InlineData("metric.a = 1", SearchEntity.Metric)]
    [InlineData("metrics.a = 1", SearchEntity.Metric)]
    [InlineData("param.a = 'x'", SearchEntity.Param)]
    [InlineData("params.a = 'x'", SearchEntity.Param)]
    [InlineData("parameter.a = 'x'", SearchEntity.Param)]
    [InlineData("parameters.a = 'x'", SearchEntity.Param)]
    [InlineData("tag.a = 'x'", SearchEntity.Tag)]
    [InlineData("tags.a = 'x'", SearchEntity.Tag)]
    [InlineData("`tags`.a = 'x'", SearchEntity.Tag)]
    [InlineData("dataset.name = 'x'", SearchEntity.Dataset)]
    [InlineData("datasets.name = 'x'", SearchEntity.Dataset)]
    public void Entity_prefixes(string filter, SearchEntity entity)
    {
        Assert.Equal(entity, Assert.Single(SearchFilterParser.ParseRunFilter(filter)).Entity);
    }

    [Theory]
    [InlineData("attribute.status = 'x'", "status")]
    [InlineData("attributes.status = 'x'", "status")]
    [InlineData("attr.status = 'x'", "status")]
    [InlineData("run.status = 'x'", "status")]
    [InlineData("status = 'x'", "status")]
    [InlineData("run_name = 'x'", "run_name")]
    [InlineData("`Run name` = 'x'", "run_name")]
    [InlineData("attributes.`Run name` = 'x'", "run_name")]
    [InlineData("run_id = 'x'", "run_id")]
    [InlineData("user_id = 'x'", "user_id")]
    [InlineData("artifact_uri = 'x'", "artifact_uri")]
    [InlineData("start_time > 1", "start_time")]
    [InlineData("created > 1", "start_time")]
    [InlineData("Created > 1", "start_time")]
    [InlineData("attributes.created > 1", "start_time")]
    [InlineData("end_time > 1", "end_time")]
    public void Attributes_resolve_to_canonical_keys(string filter, string key)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(SearchEntity.Attribute, comparison.Entity);
        Assert.Equal(key, comparison.Key);
    }

    [Theory]
    [InlineData("metrics.`my metric` > 1", SearchEntity.Metric, "my metric")]
    [InlineData("metrics.\"my metric\" > 1", SearchEntity.Metric, "my metric")]
    [InlineData("tags.\"mlflow.runName\" = 'a'", SearchEntity.Tag, "mlflow.runName")]
    [InlineData("tags.`mlflow.runName` = 'a'", SearchEntity.Tag, "mlflow.runName")]
    [InlineData("tags.mlflow.runName = 'a'", SearchEntity.Tag, "mlflow.runName")]
    [InlineData("params.`a``b` = 'a'", SearchEntity.Param, "a`b")]
    [InlineData("`metrics`.`a-b/c` > 1", SearchEntity.Metric, "a-b/c")]
    [InlineData("metrics.2nd > 1", SearchEntity.Metric, "2nd")]
    public void Quoted_and_dotted_keys(string filter, SearchEntity entity, string key)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(entity, comparison.Entity);
        Assert.Equal(key, comparison.Key);
    }

    [Theory]
    [InlineData("metrics.a = 1", 1.0)]
    [InlineData("metrics.a = -1", -1.0)]
    [InlineData("metrics.a = +2", 2.0)]
    [InlineData("metrics.a = 0.25", 0.25)]
    [InlineData("metrics.a = .5", 0.5)]
    [InlineData("metrics.a = -.5", -0.5)]
    [InlineData("metrics.a = 5.", 5.0)]
    [InlineData("metrics.a = 1e3", 1000.0)]
    [InlineData("metrics.a = 1.5E-2", 0.015)]
    [InlineData("metrics.a = -2e+2", -200.0)]
    [InlineData("start_time >= 1700000000000", 1700000000000.0)]
    public void Numeric_forms(string filter, double expected)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(expected, Assert.IsType<double>(comparison.Value));
    }

    [Theory]
    [InlineData("metrics.a = 1", Comparator.Equal)]
    [InlineData("metrics.a != 1", Comparator.NotEqual)]
    [InlineData("metrics.a < 1", Comparator.Less)]
    [InlineData("metrics.a <= 1", Comparator.LessOrEqual)]
    [InlineData("metrics.a > 1", Comparator.Greater)]
    [InlineData("metrics.a >= 1", Comparator.GreaterOrEqual)]
    [InlineData("metrics.a>=1", Comparator.GreaterOrEqual)]
    [InlineData("params.a LIKE 'x'", Comparator.Like)]
    [InlineData("params.a like 'x'", Comparator.Like)]
    [InlineData("params.a ILIKE 'x'", Comparator.ILike)]
    [InlineData("params.a iLike 'x'", Comparator.ILike)]
    [InlineData("tags.a != 'x'", Comparator.NotEqual)]
    [InlineData("run_name ILIKE '%x%'", Comparator.ILike)]
    [InlineData("end_time < 5", Comparator.Less)]
    public void Comparators_map(string filter, Comparator op)
    {
        Assert.Equal(op, Assert.Single(SearchFilterParser.ParseRunFilter(filter)).Op);
    }

    [Theory]
    [InlineData("params.a = 'it''s'", "it's")]
    [InlineData("params.a = \"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("params.a = \"it's\"", "it's")]
    [InlineData("params.a = ''", "")]
    [InlineData("params.a = 'a AND b = 1'", "a AND b = 1")]
    [InlineData("artifact_uri = 'C:\\dir\\x'", "C:\\dir\\x")]
    [InlineData("tags.a LIKE '50\\%'", "50\\%")]
    public void String_values_and_escapes(string filter, string expected)
    {
        Assert.Equal(expected, Assert.Single(SearchFilterParser.ParseRunFilter(filter)).StringValue);
    }

    [Theory]
    [InlineData("params.a IS NULL", SearchEntity.Param, Comparator.IsNull)]
    [InlineData("params.a is null", SearchEntity.Param, Comparator.IsNull)]
    [InlineData("params.a IS NOT NULL", SearchEntity.Param, Comparator.IsNotNull)]
    [InlineData("tags.a IS NULL", SearchEntity.Tag, Comparator.IsNull)]
    [InlineData("tags.`a b` is Not Null", SearchEntity.Tag, Comparator.IsNotNull)]
    public void Is_null(string filter, SearchEntity entity, Comparator op)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(entity, comparison.Entity);
        Assert.Equal(op, comparison.Op);
        Assert.Null(comparison.Value);
    }

    [Fact]
    public void Run_id_in_list()
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter("attributes.run_id IN ('a', \"b\",'c')"));
        Assert.Equal(Comparator.In, comparison.Op);
        Assert.Equal(new[] { "a", "b", "c" }, comparison.ListValue);
    }

    [Fact]
    public void Run_id_not_in_list()
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter("run_id not in ('a')"));
        Assert.Equal(new Comparison(SearchEntity.Attribute, "run_id", Comparator.NotIn, comparison.Value), comparison);
        Assert.Equal(new[] { "a" }, comparison.ListValue);
    }

    [Theory]
    [InlineData("datasets.name IN ('train', 'test')", "name", Comparator.In)]
    [InlineData("datasets.digest NOT IN ('x')", "digest", Comparator.NotIn)]
    [InlineData("dataset.context IN ('training')", "context", Comparator.In)]
    public void Dataset_lists(string filter, string key, Comparator op)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(SearchEntity.Dataset, comparison.Entity);
        Assert.Equal(key, comparison.Key);
        Assert.Equal(op, comparison.Op);
        Assert.NotEmpty(comparison.ListValue);
    }

    [Theory]
    [InlineData("datasets.name = 'train'", Comparator.Equal)]
    [InlineData("datasets.digest LIKE 'ab%'", Comparator.Like)]
    [InlineData("datasets.context != 'eval'", Comparator.NotEqual)]
    public void Dataset_scalars(string filter, Comparator op)
    {
        var comparison = Assert.Single(SearchFilterParser.ParseRunFilter(filter));
        Assert.Equal(op, comparison.Op);
        Assert.IsType<string>(comparison.Value);
    }

    [Fact]
    public void And_is_case_insensitive_and_keeps_order()
    {
        var result = SearchFilterParser.ParseRunFilter("metrics.a > 1 AND metrics.b < 2 aNd metrics.c = 3");
        Assert.Equal(new[] { "a", "b", "c" }, result.Select(c => c.Key));
    }
}
