using Keel.Compute.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class RunFilterErrorTests
{
    private const string NumericSet = "'{'!=', '<=', '=', '<', '>=', '>'}'";

    [Fact]
    public void Bad_metric_comparator_uses_mlflow_wording_exactly()
    {
        var error = ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter("metrics.x >> 1"), "'>>'");
        Assert.Equal("Invalid comparator '>>' not one of " + NumericSet, error.Message);
    }

    [Fact]
    public void Bad_entity_uses_mlflow_wording_exactly()
    {
        var error = ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter("foo.bar = 'x'"), "'foo'");
        Assert.Equal("Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']", error.Message);
    }

    [Theory]
    [InlineData("metrics.a == 1", "Invalid comparator '==' not one of " + NumericSet)]
    [InlineData("metrics.a <> 1", "Invalid comparator '<>' not one of " + NumericSet)]
    [InlineData("metrics.a =< 1", "Invalid comparator '=<' not one of")]
    [InlineData("metrics.a LIKE 1", "Invalid comparator 'LIKE' not one of " + NumericSet)]
    [InlineData("metrics.a IS NULL", "Invalid comparator 'IS NULL' not one of")]
    [InlineData("metrics.a IN (1)", "Invalid comparator 'IN'")]
    [InlineData("metrics.a foo 1", "Invalid comparator 'foo'")]
    [InlineData("start_time LIKE 1", "Invalid comparator 'LIKE' not one of " + NumericSet)]
    [InlineData("params.a > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'")]
    [InlineData("tags.a <= 'x'", "Invalid comparator '<='")]
    [InlineData("params.a IN ('x')", "Invalid comparator 'IN'")]
    [InlineData("status IN ('x')", "Invalid comparator 'IN' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'")]
    [InlineData("run_name NOT IN ('x')", "Invalid comparator 'NOT IN'")]
    [InlineData("status IS NULL", "Invalid comparator 'IS NULL'")]
    [InlineData("run_id > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'")]
    [InlineData("datasets.name > 'x'", "Invalid comparator '>'")]
    [InlineData("params.a IS 'x'", "Invalid comparator 'IS'")]
    [InlineData("params.a NOT LIKE 'x'", "Invalid comparator 'NOT'")]
    public void Comparator_not_allowed_for_key(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }

    [Theory]
    [InlineData("metrics.a > 1 OR metrics.b > 2", "Invalid clause(s) in filter string: 'OR'")]
    [InlineData("metrics.a > 1 or metrics.b > 2", "Invalid clause(s) in filter string: 'or'")]
    [InlineData("(metrics.a > 1)", "Invalid clause(s) in filter string: '('")]
    [InlineData("metrics.a > 1 AND (metrics.b > 2 AND metrics.c > 3)", "Invalid clause(s) in filter string: '('")]
    [InlineData("NOT metrics.a > 1", "Invalid clause(s) in filter string: 'NOT'")]
    [InlineData("metrics.a > 1 metrics.b > 2", "Invalid clause(s) in filter string: 'metrics.b'")]
    [InlineData("'x' = params.a", "Invalid clause(s) in filter string: ''x''")]
    [InlineData("metrics.a > 1;", "Provide AND-ed expression list")]
    [InlineData("metrics.a > 1 AND", "Expected a comparison after the final AND")]
    [InlineData("AND metrics.a > 1", "Invalid clause(s) in filter string: 'AND'")]
    public void Structure_errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }

    [Theory]
    [InlineData("params.lr = 0.1", "Parameter value is either not quoted or unidentified quote types used for string value 0.1")]
    [InlineData("params.lr = abc", "Parameter value is either not quoted")]
    [InlineData("tags.t = abc", "Tag value is either not quoted or unidentified quote types used for string value abc")]
    [InlineData("tags.t = `abc`", "Tag value is either not quoted")]
    [InlineData("status = FINISHED", "Expected a quoted string value for attributes. Got value FINISHED")]
    [InlineData("datasets.name = train", "Expected a quoted string value for dataset attributes. Got value train")]
    [InlineData("metrics.acc > 'high'", "Expected numeric value type for metric. Found 'high'")]
    [InlineData("metrics.acc > abc", "Expected numeric value type for metric. Found abc")]
    [InlineData("metrics.acc > \"1\"", "Expected numeric value type for metric. Found \"1\"")]
    [InlineData("metrics.acc >", "Expected numeric value type for metric. Found nothing")]
    [InlineData("start_time > 'yesterday'", "Expected numeric value type for numeric attribute: start_time. Found 'yesterday'")]
    [InlineData("created > x", "numeric attribute: start_time")]
    public void Value_type_errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }

    [Theory]
    [InlineData("attributes.foo = 'x'", "Invalid attribute key 'foo' specified. Valid keys are ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'start_time', 'end_time']")]
    [InlineData("foo = 'x'", "Invalid attribute key 'foo' specified")]
    [InlineData("STATUS = 'x'", "Invalid attribute key 'STATUS' specified")]
    [InlineData("attributes.experiment_id = '1'", "Invalid attribute key 'experiment_id'")]
    [InlineData("datasets.foo = 'x'", "Invalid dataset key 'foo' specified. Valid keys are ['name', 'digest', 'context']")]
    [InlineData("Metrics.a > 1", "Invalid entity type 'Metrics'")]
    [InlineData("metrics.`` > 1", "the key is empty")]
    public void Key_errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }

    [Theory]
    [InlineData("run_id IN 'a'", "IN/NOT IN expects a parenthesised list of quoted strings")]
    [InlineData("run_id IN ()", "found ')'")]
    [InlineData("run_id IN (a, b)", "found 'a'")]
    [InlineData("run_id IN ('a' 'b')", "found ''b''")]
    [InlineData("run_id IN ('a',)", "found ')'")]
    [InlineData("run_id IN ('a'", "found end of input")]
    public void List_errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }

    [Theory]
    [InlineData("params.a = 'abc", "Unterminated quoted text")]
    [InlineData("params.`abc = 'x'", "Unterminated quoted text")]
    [InlineData("metrics. > 1", "Expected a key after 'metrics.'")]
    [InlineData("metrics.a", "Expected a comparator after 'metrics.a'")]
    public void Lexical_errors(string filter, string fragment)
    {
        ErrorAssert.InvalidParameter(() => SearchFilterParser.ParseRunFilter(filter), fragment);
    }
}
