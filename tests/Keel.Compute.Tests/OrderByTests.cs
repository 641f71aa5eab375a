using Keel.Compute.Search;
using Keel.Core.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class OrderByTests
{
    [Theory]
    [InlineData("metrics.acc DESC", SearchEntity.Metric, "acc", false)]
    [InlineData("metrics.acc", SearchEntity.Metric, "acc", true)]
    [InlineData("metrics.`my metric` asc", SearchEntity.Metric, "my metric", true)]
    [InlineData("params.`lr` ASC", SearchEntity.Param, "lr", true)]
    [InlineData("parameters.lr desc", SearchEntity.Param, "lr", false)]
    [InlineData("tags.x", SearchEntity.Tag, "x", true)]
    [InlineData("tags.\"mlflow.runName\" DESC", SearchEntity.Tag, "mlflow.runName", false)]
    [InlineData("attributes.start_time", SearchEntity.Attribute, "start_time", true)]
    [InlineData("start_time DESC", SearchEntity.Attribute, "start_time", false)]
    [InlineData("created DESC", SearchEntity.Attribute, "start_time", false)]
    [InlineData("Created", SearchEntity.Attribute, "start_time", true)]
    [InlineData("run_id", SearchEntity.Attribute, "run_id", true)]
    [InlineData("run_name", SearchEntity.Attribute, "run_name", true)]
    [InlineData("`Run name` DESC", SearchEntity.Attribute, "run_name", false)]
    [InlineData("status", SearchEntity.Attribute, "status", true)]
    [InlineData("user_id", SearchEntity.Attribute, "user_id", true)]
    [InlineData("end_time", SearchEntity.Attribute, "end_time", true)]
    [InlineData("artifact_uri", SearchEntity.Attribute, "artifact_uri", true)]
    [InlineData("attr.experiment_id", SearchEntity.Attribute, "experiment_id", true)]
    [InlineData("  run.status   DESC  ", SearchEntity.Attribute, "status", false)]
    public void Run_order_by(string clause, SearchEntity entity, string key, bool ascending)
    {
        var order = Assert.Single(SearchFilterParser.ParseRunOrderBy([clause]));
        Assert.Equal(new OrderBy(entity, key, ascending), order);
    }

    [Fact]
    public void Keeps_clause_order()
    {
        var result = SearchFilterParser.ParseRunOrderBy(["metrics.a DESC", "run_id"]);
        Assert.Equal(
            new[] { new OrderBy(SearchEntity.Metric, "a", false), new OrderBy(SearchEntity.Attribute, "run_id", true) },
            result);
    }

    [Fact]
    public void Null_or_empty_list_gives_no_ordering()
    {
        Assert.Empty(SearchFilterParser.ParseRunOrderBy(null));
        Assert.Empty(SearchFilterParser.ParseRunOrderBy([]));
    }

    [Fact]
    public void Bad_entity_uses_mlflow_wording_exactly()
    {
        var error = ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunOrderBy(["foo.bar DESC"]), "'foo'");
        Assert.Equal("Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']", error.Message);
    }

    [Theory]
    [InlineData("metrics.acc UP", "Invalid order_by clause 'metrics.acc UP'. Direction must be ASC or DESC, got 'UP'")]
    [InlineData("metrics.acc DESC extra", "Invalid order_by clause 'metrics.acc DESC extra'. Could not be parsed")]
    [InlineData("", "Invalid order_by clause ''. Could not be parsed")]
    [InlineData("   ", "Could not be parsed")]
    [InlineData("DESC metrics.a", "Direction must be ASC or DESC, got 'metrics.a'")]
    [InlineData("'metrics.a'", "Invalid order_by clause ''metrics.a''. Could not be parsed")]
    [InlineData("metrics.a, metrics.b", "Could not be parsed")]
    [InlineData("foo", "Invalid order_by clause 'foo'. Invalid attribute key 'foo' specified")]
    [InlineData("datasets.name", "Invalid order_by clause 'datasets.name'. Ordering by dataset is not supported")]
    [InlineData("metrics.`a DESC", "Unterminated quoted text")]
    public void Run_order_by_errors(string clause, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunOrderBy([clause]), fragment);
    }

    [Theory]
    [InlineData("name", "name", true)]
    [InlineData("name DESC", "name", false)]
    [InlineData("experiment_id ASC", "experiment_id", true)]
    [InlineData("creation_time DESC", "creation_time", false)]
    [InlineData("attributes.last_update_time", "last_update_time", true)]
    public void Experiment_order_by(string clause, string key, bool ascending)
    {
        var order = Assert.Single(SearchFilterParser.ParseExperimentOrderBy([clause]));
        Assert.Equal(new OrderBy(SearchEntity.Attribute, key, ascending), order);
    }

    [Theory]
    [InlineData("start_time", "Invalid attribute key 'start_time' specified. Valid keys are ['name', 'experiment_id', 'creation_time', 'last_update_time']")]
    [InlineData("tags.x", "Ordering by tag is not supported")]
    [InlineData("metrics.x", "Invalid entity type 'metrics'. Valid values are ['attribute', 'tag']")]
    [InlineData("name SIDEWAYS", "Direction must be ASC or DESC")]
    public void Experiment_order_by_errors(string clause, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseExperimentOrderBy([clause]), fragment);
    }
}
