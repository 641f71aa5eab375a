using Keel.Core.Errors;
using Keel.ML.Data;
using Keel.ML.Scoring;
using Xunit;

namespace Keel.ML.Tests;

public sealed class ScoringJsonTests
{
    [Fact]
    public void Dataframe_split_infers_column_types()
    {
        var b = ScoringJson.ParseRequest("""{"dataframe_split": {"columns": ["i", "d", "s", "f"], "data": [[1, 1.5, "a", true], [2, null, "b", false]]}}""");

        Assert.Equal(2, b.RowCount);
        Assert.Equal([1L, 2L], (long[])b["i"].Data);
        Assert.Equal(1.5, ((double[])b["d"].Data)[0]);
        Assert.True(double.IsNaN(((double[])b["d"].Data)[1]));
        Assert.Equal(new string?[] { "a", "b" }, (string?[])b["s"].Data);
        Assert.Equal([true, false], (bool[])b["f"].Data);
    }

    [Fact]
    public void Dataframe_records_fill_missing_keys()
    {
        var b = ScoringJson.ParseRequest("""{"dataframe_records": [{"x": 1.0}, {"x": 2.5, "y": "q"}]}""");

        Assert.Equal([1.0, 2.5], (double[])b["x"].Data);
        Assert.Equal(new string?[] { null, "q" }, (string?[])b["y"].Data);
    }

    [Fact]
    public void Instances_and_inputs_lists_are_one_unnamed_tensor()
    {
        foreach (var key in new[] { "instances", "inputs" })
        {
            var b = ScoringJson.ParseRequest($$"""{"{{key}}": [[1, 2, 3], [4, 5, 6.5]]}""");

            var c = Assert.Single(b.Columns);
            Assert.Equal(string.Empty, c.Name);
            Assert.Equal(3, c.Width);
            Assert.Equal(2, b.RowCount);
            Assert.Equal([1, 2, 3, 4, 5, 6.5], (double[])c.Data);
        }
    }

    [Fact]
    public void Inputs_dict_is_named_tensors_and_instances_of_dicts_are_records()
    {
        var named = ScoringJson.ParseRequest("""{"inputs": {"a": [[1, 2], [3, 4]], "b": [7, 8]}}""");
        Assert.Equal(2, named["a"].Width);
        Assert.Equal([7L, 8L], (long[])named["b"].Data);

        var records = ScoringJson.ParseRequest("""{"instances": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}""");
        Assert.Equal([1L, 2L], (long[])records["a"].Data);
    }

    [Theory]
    [InlineData("""{"data": []}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"dataframe_split": {"columns": ["a"], "data": [[1, 2]]}}""")]
    [InlineData("""not json""")]
    public void Bad_requests_are_invalid_parameter(string body)
    {
        var ex = Assert.Throws<KeelException>(() => ScoringJson.ParseRequest(body));

        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
    }

    [Fact]
    public void Response_is_a_list_for_one_output_and_records_for_several()
    {
        var single = new PredictionResult(2, [new PredictionOutput(BatchColumn.Of("variable", new[] { 1.5f, float.NaN }), PredictionRole.Prediction)]);
        Assert.Equal("""{"predictions":[1.5,null]}""", ScoringJson.FormatResponse(single));

        var multi = new PredictionResult(1,
        [
            new PredictionOutput(BatchColumn.Of("label", new[] { 1L }), PredictionRole.Prediction),
            new PredictionOutput(BatchColumn.Of("probabilities", new[] { 0.25f, 0.75f }, 2), PredictionRole.Probabilities),
        ]);
        Assert.Equal("""{"predictions":[{"label":1,"probabilities":[0.25,0.75]}]}""", ScoringJson.FormatResponse(multi));
    }
}
