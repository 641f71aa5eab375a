using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.EndToEnd.Tests.Http;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Repository;
using Keel.ML.Tests;
using Microsoft.ML;
using Xunit;

namespace Keel.EndToEnd.Tests.Models;

/// <summary>
/// Models logged the way MLflow's Python client logs them, registered, resolved by alias and
/// scored by `keel predict`; and ML.NET packages round-tripped through the SDK.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ModelPredictTests(ServerFixture fixture)
{
    private static readonly float[] Weights = [0.5f, -1f, 2f];
    private const float Bias = 0.25f;
    private const string Columns = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}]""";

    private readonly MlflowApi _api = new(fixture.Http);

    [Fact]
    public async Task Mlflow_logged_onnx_model_is_registered_resolved_by_alias_and_scored_by_keel_predict()
    {
        var work = TempDirs.Create("keel-onnx-e2e");
        try
        {
            // 1. What mlflow.onnx.log_model(..., registered_model_name=...) does over REST.
            var exp = await _api.CreateExperimentAsync();
            var run = await _api.CreateRunAsync(exp);
            var package = MlflowFixtures.WriteModelDirectory(Path.Combine(work, "model"), OnnxModelBuilder.LinearRegressor(Weights, Bias), MlflowFixtures.RegressorMlModel(Columns));
            foreach (var file in Directory.EnumerateFiles(package))
            {
                using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var put = await fixture.Http.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/model/{Path.GetFileName(file)}", UriKind.Relative), content);
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            await _api.OkAsync("runs/log-model", new { run_id = run, model_json = $"{{\"artifact_path\": \"model\", \"flavors\": {{\"onnx\": {{}}}}, \"run_id\": \"{run}\", \"utc_time_created\": \"2026-11-23 00:00:00.000000\"}}" });
            var name = "onnx-" + Guid.NewGuid().ToString("N")[..8];
            await _api.OkAsync("registered-models/create", new { name });
            var version = await _api.OkAsync("model-versions/create", new { name, source = $"runs:/{run}/model", run_id = run });
            Assert.Equal("READY", (string?)version["model_version"]!["status"]);
            await _api.OkAsync("registered-models/alias", new { name, alias = "champion", version = "1" });

            // 2. Score a CSV file by alias.
            var rows = new[] { (1.0, 2.0, 3.0), (-0.5, 0.25, 10.0), (0.0, 0.0, 0.0) };
            var input = Path.Combine(work, "in.csv");
            await File.WriteAllLinesAsync(input, ["a,b,c", .. rows.Select(r => FormattableString.Invariant($"{r.Item1},{r.Item2},{r.Item3}"))]);
            var output = Path.Combine(work, "out.csv");
            var (code, stdout, stderr) = await KeelCli.RunAsync(["predict", "--model", $"models:/{name}@champion", "--input", input, "--output", output, "--tracking-uri", fixture.Server.BaseUri.ToString()]);
            Assert.True(code == 0, $"keel predict failed ({code}): {stderr}\n{stdout}");
            var lines = await File.ReadAllLinesAsync(output);
            var header = lines[0].Split(',');
            Assert.Equal(["a", "b", "c"], header[..3]);
            var predictionColumn = Array.IndexOf(header, "prediction");
            Assert.True(predictionColumn >= 3, lines[0]);
            for (var i = 0; i < rows.Length; i++)
            {
                var (a, b, c) = rows[i];
                var expected = (0.5 * a) - b + (2 * c) + 0.25;
                Assert.Equal(expected, double.Parse(lines[i + 1].Split(',')[predictionColumn], CultureInfo.InvariantCulture), 4);
            }

            // 3. The same model by version, with an MLflow scoring request as JSON in and out.
            var json = Path.Combine(work, "request.json");
            await File.WriteAllTextAsync(json, """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0]]}}""");
            (code, stdout, stderr) = await KeelCli.RunAsync(["predict", "--model", $"models:/{name}/1", "--input", json, "--tracking-uri", fixture.Server.BaseUri.ToString()]);
            Assert.True(code == 0, stderr);
            var predictions = JsonNode.Parse(stdout)!["predictions"]!.AsArray();
            Assert.Equal(4.75, Flatten(predictions[0]!), 4);

            // 4. A missing input column is named in the error.
            await File.WriteAllLinesAsync(input, ["a,b", "1,2"]);
            (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", $"models:/{name}@champion", "--input", input, "--output", output, "--tracking-uri", fixture.Server.BaseUri.ToString()]);
            Assert.Equal(6, code);
            Assert.Contains("'c'", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    [Fact]
    public async Task Mlnet_package_round_trips_through_the_sdk()
    {
        var work = TempDirs.Create("keel-mlnet-e2e");
        try
        {
            var ml = new MLContext(seed: 3);
            var rnd = new Random(5);
            var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 300).Select(_ =>
            {
                var x1 = (float)rnd.NextDouble();
                var x2 = (float)rnd.NextDouble();
                return new Row { X1 = x1, X2 = x2, Target = (3 * x1) - x2 };
            }).ToList());
            var fitted = ml.Transforms.Concatenate("Features", "X1", "X2")
                .Append(ml.Regression.Trainers.FastTree(labelColumnName: "Target", numberOfTrees: 20, minimumExampleCountPerLeaf: 5)).Fit(data);
            var dir = Path.Combine(work, "pkg");
            ModelPackage.SaveMlNet(fitted, data.Schema, dir, new MlNetSaveOptions { Task = "regression", LabelColumn = "Target", InputColumns = ["X1", "X2"] });

            using var client = new KeelClient(fixture.Server.BaseUri);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("sdk-models"), "mlnet");
            var name = "mlnet-" + Guid.NewGuid().ToString("N")[..8];
            var logged = await client.LogModelAsync(run.Info.RunId, dir, registeredModelName: name);
            Assert.Equal(1, logged.Version!.Version);
            Assert.Equal(run.Info.ArtifactUri + "/model", logged.Version.Source);
            Assert.Equal(run.Info.RunId, logged.Version.RunId);

            using var loaded = await client.LoadModelAsync($"models:/{name}/1");
            Assert.Equal(run.Info.RunId, loaded.Manifest.RunId);
            var batch = new ColumnBatch(BatchColumn.Of("X1", new[] { 0.2f, 0.9f }), BatchColumn.Of("X2", new[] { 0.5f, 0.1f }));
            var remote = (float[])loaded.Predict(batch).Prediction!.Column.Data;
            using var local = ModelLoader.Load(dir);
            Assert.Equal((float[])local.Predict(batch).Prediction!.Column.Data, remote);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    private static double Flatten(JsonNode node) => node is JsonArray array ? Flatten(array[0]!) : (double)node;

    private sealed class Row
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float Target { get; set; }
    }
}
