using Keel.Core.Errors;
using Keel.ML.Data;
using Keel.ML.Scoring;
using Xunit;

namespace Keel.ML.Tests;

public sealed class OnnxModelTests : IDisposable
{
    internal static readonly float[] RegressorWeights = [0.5f, -1f, 2f];
    internal const float RegressorBias = 0.25f;
    internal const string ColumnSignature = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}]""";

    private static readonly float[,] ClassifierWeights = { { 1f, 0f, -1f }, { 0f, 1f, 2f } };
    private static readonly float[] ClassifierBias = [0.1f, 0f, -0.2f];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string WriteRegressor(string dir) => MlflowFixtures.WriteModelDirectory(
        dir, OnnxModelBuilder.LinearRegressor(RegressorWeights, RegressorBias), MlflowFixtures.RegressorMlModel(ColumnSignature));

    internal static double Expected(double a, double b, double c) => (0.5 * a) - b + (2 * c) + 0.25;

    [Fact]
    public void Mlflow_logged_classifier_predicts_label_and_probabilities()
    {
        var dir = MlflowFixtures.WriteModelDirectory(_dir.File("clf"), OnnxModelBuilder.Classifier(ClassifierWeights, ClassifierBias), MlflowFixtures.OnnxClassifierMlModel);
        using var model = ModelLoader.Load(dir);

        var rows = new[] { (1.0f, 2.0f), (3.0f, -1.0f) };
        var input = new ColumnBatch(BatchColumn.Of("input", rows.SelectMany(r => new[] { r.Item1, r.Item2 }).ToArray(), 2));
        var result = model.Predict(input);

        var labels = (long[])result.Prediction!.Column.Data;
        var probs = (float[])result.Outputs.Single(o => o.Role == PredictionRole.Probabilities).Column.Data;
        for (var i = 0; i < rows.Length; i++)
        {
            var (x1, x2) = rows[i];
            double[] logits = [x1 + 0.1, x2, -x1 + (2 * x2) - 0.2];
            var exp = logits.Select(Math.Exp).ToArray();
            var expected = exp.Select(e => e / exp.Sum()).ToArray();
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k], probs[(i * 3) + k], 5);
            }

            Assert.Equal(Array.IndexOf(logits, logits.Max()), labels[i]);
        }

        // Multi-output models answer records, as MLflow pyfunc does.
        Assert.StartsWith("""{"predictions":[{"label":2,"probabilities":[""", ScoringJson.FormatResponse(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_carry_the_tensor_shape_the_model_produced()
    {
        using var regressor = ModelLoader.Load(WriteRegressor(_dir.File("reg")));
        var result = regressor.Predict(ScoringJson.ParseRequest("""{"inputs": [[1, 2, 3], [4, 5, 6]]}"""));
        // A [-1, 1] output: width 1 like a [-1] one, but two dimensions.
        Assert.Equal([2L, 1L], result.Prediction!.Shape);
        Assert.Equal(1, result.Prediction.Column.Width);

        var dir = MlflowFixtures.WriteModelDirectory(_dir.File("clf"), OnnxModelBuilder.Classifier(ClassifierWeights, ClassifierBias), MlflowFixtures.OnnxClassifierMlModel);
        using var classifier = ModelLoader.Load(dir);
        var outputs = classifier.Predict(new ColumnBatch(BatchColumn.Of("input", new[] { 1f, 2f, 3f, -1f }, 2))).Outputs;
        Assert.Equal([2L], outputs.Single(o => o.Role == PredictionRole.Prediction).Shape);
        Assert.Equal([2L, 3L], outputs.Single(o => o.Role == PredictionRole.Probabilities).Shape);
    }

    [Fact]
    public void Regressor_stacks_signature_columns_in_order()
    {
        using var model = ModelLoader.Load(WriteRegressor(_dir.File("reg")));

        // Columns out of order and an extra one: the signature decides what is stacked and how.
        var input = ScoringJson.ParseRequest("""{"dataframe_split": {"columns": ["c", "extra", "a", "b"], "data": [[1, "x", 2, 3], [0.5, "y", -1, 4]]}}""");
        var result = model.Predict(input);

        var values = (float[])result.Prediction!.Column.Data;
        Assert.Equal(Expected(2, 3, 1), values[0], 5);
        Assert.Equal(Expected(-1, 4, 0.5), values[1], 5);
        Assert.Equal($$"""{"predictions":[{{values[0]}},{{values[1]}}]}""", ScoringJson.FormatResponse(result));
    }

    [Fact]
    public void Tensor_input_feeds_the_single_input()
    {
        using var model = ModelLoader.Load(WriteRegressor(_dir.File("reg")));

        var result = model.Predict(ScoringJson.ParseRequest("""{"inputs": [[2, 3, 1]]}"""));

        Assert.Equal(Expected(2, 3, 1), ((float[])result.Prediction!.Column.Data)[0], 5);
    }

    [Fact]
    public void Missing_column_is_an_error_naming_it()
    {
        using var model = ModelLoader.Load(WriteRegressor(_dir.File("reg")));

        var ex = Assert.Throws<KeelException>(() => model.Predict(ScoringJson.ParseRequest("""{"dataframe_records": [{"a": 1, "c": 2}]}""")));

        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparseable_string_is_an_error_naming_the_column()
    {
        using var model = ModelLoader.Load(WriteRegressor(_dir.File("reg")));

        var ex = Assert.Throws<KeelException>(() => model.Predict(ScoringJson.ParseRequest("""{"dataframe_records": [{"a": 1, "b": "seven", "c": 2}]}""")));

        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_tensor_shape_is_an_error_naming_the_input()
    {
        using var model = ModelLoader.Load(WriteRegressor(_dir.File("reg")));

        var ex = Assert.Throws<KeelException>(() => model.Predict(ScoringJson.ParseRequest("""{"inputs": {"input": [[1, 2]]}}""")));

        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("'input'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_returns_one_instance_per_model_uuid()
    {
        var dir = WriteRegressor(_dir.File("reg"));
        using var cache = new ModelCache();

        var first = cache.Get(dir);
        Assert.Same(first, cache.Get(dir));

        WriteRegressor(dir); // a new model_uuid in the same directory
        Assert.NotSame(first, cache.Get(dir));
    }
}
