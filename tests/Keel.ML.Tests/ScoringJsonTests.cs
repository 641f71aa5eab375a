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
        var b = ScoringJson.ParseRequest("""{"dataframe_split": {"columns": ["i", "d", "s", "f"], "data": [[1, 1.5, "a", true], [2, 2.5, null, false]]}}""");

        Assert.Equal(2, b.RowCount);
        Assert.Equal([1L, 2L], (long[])b["i"].Data);
        Assert.Equal([1.5, 2.5], (double[])b["d"].Data);
        Assert.Equal(new string?[] { "a", null }, (string?[])b["s"].Data);
        Assert.Equal([true, false], (bool[])b["f"].Data);
    }

    [Theory]
    [InlineData("""{"dataframe_split": {"columns": ["a", "d"], "data": [[1, 1.5], [2, null]]}}""", "Column 'd' holds null in row 1")]
    [InlineData("""{"dataframe_split": {"columns": ["f"], "data": [[true], [null]]}}""", "Column 'f' holds null in row 1")]
    [InlineData("""{"dataframe_records": [{"x": 1.0}, {"y": 2.0}]}""", "Column 'x' holds null in row 1")]
    [InlineData("""{"dataframe_split": {"columns": ["a"], "data": [[{"v": 1}]]}}""", "Column 'a' holds a JSON object in row 0")]
    [InlineData("""{"inputs": {"a": [1, {"v": 2}]}}""", "Column 'a' holds a JSON object in row 1")]
    [InlineData("""{"dataframe_split": {"columns": ["a"], "data": [[1e400]]}}""", "outside the range of a 64-bit float")]
    [InlineData("""{"dataframe_split": {"columns": 5, "data": []}}""", "'dataframe_split.columns' must be a list of column names, not a number")]
    [InlineData("""{"dataframe_split": {"columns": ["a"], "data": {}}}""", "'dataframe_split.data' must be a list of rows")]
    [InlineData("""{"dataframe_split": {"columns": ["a"], "data": [5]}}""", "'dataframe_split.data[0]' must be a list of values")]
    [InlineData("""{"dataframe_split": {"columns": [["a"]], "data": []}}""", "'dataframe_split.columns[0]' must be a column name")]
    [InlineData("""{"dataframe_split": [1, 2]}""", "'dataframe_split' needs 'columns' and 'data'")]
    [InlineData("""{"dataframe_records": {"a": 1}}""", "'dataframe_records' must be a list of records (objects, one per row), not an object")]
    [InlineData("""{"dataframe_records": [{"a": 1}, 7]}""", "'dataframe_records[1]' must be an object")]
    [InlineData("""{"inputs": 5}""", "'inputs' must be a list or a dict of named tensors, not a number")]
    [InlineData("""{"inputs": [1], "instances": [2]}""", "exactly one of the input fields")]
    public void Input_that_a_model_could_only_guess_at_is_refused_naming_the_field_and_row(string body, string message)
    {
        var ex = Assert.Throws<KeelException>(() => ScoringJson.ParseRequest(body));

        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_number_is_the_string_NaN()
    {
        var b = ScoringJson.ParseRequest("""{"dataframe_split": {"columns": ["d"], "data": [[1.5], ["NaN"]]}}""");

        var d = ColumnConvert.ToDouble(b["d"]);
        Assert.Equal(1.5, d[0]);
        Assert.True(double.IsNaN(d[1]));
    }

    [Theory]
    [InlineData("""{"dataframe_split": {"columns": ["d"], "data": [[true], [false]]}}""", "must be numeric, but holds booleans")]
    [InlineData("""{"dataframe_split": {"columns": ["d"], "data": [[null], [null]]}}""", "row 0 is null")]
    [InlineData("""{"dataframe_split": {"columns": ["d"], "data": [["1e400"]]}}""", "row 0 holds '1e400'")]
    public void Numeric_conversion_refuses_booleans_nulls_and_overflow(string body, string message)
    {
        var column = ScoringJson.ParseRequest(body)["d"];

        var ex = Assert.Throws<KeelException>(() => ColumnConvert.ToDouble(column));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
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
