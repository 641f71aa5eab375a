using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Tests;
using Keel.Serving.Protocols;
using Xunit;

namespace Keel.Serving.Tests;

/// <summary>The V2 infer answer reports each output with the model's own tensor shape.</summary>
public sealed class V2ResponseTests : IDisposable
{
    private const string Columns = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}]""";
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-v2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonArray Outputs(PredictionResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            V2Response.WriteInfer(writer, "ep", "m/1", null, result);
        }

        return JsonNode.Parse(buffer.ToArray())!["outputs"]!.AsArray();
    }

    private static long[] Shape(JsonNode output) => [.. output["shape"]!.AsArray().Select(d => (long)d!)];

    [Fact]
    public void An_n_by_1_output_answers_shape_rows_by_1()
    {
        var dir = MlflowFixtures.WriteModelDirectory(Path.Combine(_dir, "reg"), OnnxModelBuilder.LinearRegressor([1f, 2f], 0.5f), MlflowFixtures.RegressorMlModel(Columns));
        using var model = ModelLoader.Load(dir);
        var result = model.Predict(new ColumnBatch(BatchColumn.Of("a", new[] { 1.0, 2.0 }), BatchColumn.Of("b", new[] { 3.0, 4.0 })));

        var output = Assert.Single(Outputs(result));
        Assert.Equal("variable", (string?)output!["name"]);
        Assert.Equal([2L, 1L], Shape(output));
        // The data stays flat, row-major, as the protocol requires.
        Assert.Equal([7.5, 10.5], output["data"]!.AsArray().Select(x => (double)x!));
    }

    [Fact]
    public void A_vector_output_and_a_matrix_output_keep_their_ranks()
    {
        var dir = MlflowFixtures.WriteModelDirectory(
            Path.Combine(_dir, "clf"), OnnxModelBuilder.Classifier(new float[,] { { 1f, 0f, -1f }, { 0f, 1f, 2f } }, [0.1f, 0f, -0.2f]), MlflowFixtures.OnnxClassifierMlModel);
        using var model = ModelLoader.Load(dir);
        var result = model.Predict(new ColumnBatch(BatchColumn.Of("input", new[] { 1f, 2f, 3f, -1f, 0f, 0f }, 2)));

        var outputs = Outputs(result);
        Assert.Equal([3L], Shape(outputs.Single(o => (string?)o!["name"] == "label")!));
        Assert.Equal([3L, 3L], Shape(outputs.Single(o => (string?)o!["name"] == "probabilities")!));
    }

    [Fact]
    public void A_flavor_without_tensor_shapes_answers_rows_then_width()
    {
        var result = new PredictionResult(2, [
            new PredictionOutput(BatchColumn.Of("prediction", new[] { 1.0, 2.0 }), PredictionRole.Prediction),
            new PredictionOutput(BatchColumn.Of("scores", new[] { 0.1, 0.9, 0.8, 0.2 }, 2), PredictionRole.Other),
        ]);

        var outputs = Outputs(result);
        Assert.Equal([2L], Shape(outputs[0]!));
        Assert.Equal([2L, 2L], Shape(outputs[1]!));
    }
}
