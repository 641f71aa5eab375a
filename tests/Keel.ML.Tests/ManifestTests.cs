using Keel.ML.Manifest;
using Xunit;

namespace Keel.ML.Tests;

public sealed class ManifestTests
{
    [Fact]
    public void Reads_an_MLflow_written_MLmodel_verbatim()
    {
        var m = ModelManifest.Parse(MlflowFixtures.OnnxClassifierMlModel);

        Assert.Equal("model", m.ArtifactPath);
        Assert.Equal("0f9e8d7c6b5a49382716f5e4d3c2b1a0", m.RunId);
        Assert.Equal("5b1a8f3c2d4e4f6a9b8c7d6e5f4a3b2c", m.ModelUuid);
        Assert.Equal(1467, m.ModelSizeBytes);
        Assert.Equal("2.12.2", m.MlflowVersion);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1234560), m.UtcTimeCreated);
        Assert.Equal(new OnnxFlavor("model.onnx", "1.16.0", ["CUDAExecutionProvider", "CPUExecutionProvider"]).Data, m.Onnx!.Data);
        Assert.Equal(["CUDAExecutionProvider", "CPUExecutionProvider"], m.Onnx.Providers);
        Assert.Equal("mlflow.onnx", m.Flavors["python_function"]["loader_module"]);
        Assert.Null(m.Flavors["onnx"]["code"]);
        var input = Assert.Single(m.Signature!.Inputs.Tensors);
        Assert.Equal(new TensorSpec("input", "float32", [-1, 2]).Name, input.Name);
        Assert.Equal([-1L, 2L], input.Shape);
        Assert.Equal(["label", "probabilities"], m.Signature.Outputs!.Tensors.Select(t => t.Name));
        Assert.Equal("input_example.json", m.SavedInputExampleInfo!["artifact_path"]);
    }

    [Fact]
    public void Round_trips_every_section()
    {
        var m = ModelManifest.Parse(MlflowFixtures.OnnxClassifierMlModel);
        m.Keel = new KeelModelInfo
        {
            TrainingDataset = "file:///data/train.parquet",
            TrainingDatasetHash = "sha256:abc",
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.93 },
            FeatureImportance = new Dictionary<string, double> { ["x1"] = 0.7, ["x2"] = 0.3 },
            ReferenceProfilePath = "reference_profile.json",
        };
        m.Environment = new KeelEnvironment("10.0.0", new Dictionary<string, string> { ["Microsoft.ML"] = "5.0.1" });
        m.Extra["metadata"] = new Dictionary<string, object?> { ["owner"] = "team-a" };

        var yaml = m.ToYaml();
        var back = ModelManifest.Parse(yaml);

        Assert.Equal(yaml, back.ToYaml());
        Assert.Contains("    code: null\n", yaml, StringComparison.Ordinal);
        Assert.Contains("utc_time_created: '2024-05-01 12:00:00.123456'", yaml, StringComparison.Ordinal);
        Assert.Contains("onnx_version: 1.16.0\n", yaml, StringComparison.Ordinal);
        Assert.Equal(0.93, back.Keel!.Metrics["accuracy"]);
        Assert.Equal(0.3, back.Keel.FeatureImportance["x2"]);
        Assert.Equal("sha256:abc", back.Keel.TrainingDatasetHash);
        Assert.Equal("5.0.1", back.Environment!.Packages["Microsoft.ML"]);
        Assert.Equal(m.Signature!.Inputs.ToJson(), back.Signature!.Inputs.ToJson());
        Assert.Equal("team-a", ((IReadOnlyDictionary<string, object?>)back.Extra["metadata"]!)["owner"]);
    }

    [Fact]
    public void Column_signature_json_matches_MLflow_layout()
    {
        var schema = SchemaSpec.Parse("""[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "c", "required": false}]""");

        Assert.Equal([new ColumnSpec("x", "double"), new ColumnSpec("c", "string", false)], schema.Columns);
        Assert.Equal("""[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "c", "required": false}]""", schema.ToJson());
    }
}
