using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Manifest;

namespace Keel.Serving.Tests;

/// <summary>A model that answers a * factor for column "a", for router and engine tests.</summary>
internal sealed class FakeModel(double factor) : IModel
{
    public ModelManifest Manifest { get; } = ModelManifest.Parse("flavors: {}\nmodel_uuid: fake\n");

    public ModelSignature? Signature => null;

    public IReadOnlyList<ColumnSpec> InputColumns { get; } = [new ColumnSpec("a", "double")];

    public PredictionResult Predict(ColumnBatch input)
    {
        var a = (double[])input["a"].Data;
        return new PredictionResult(a.Length, [new PredictionOutput(BatchColumn.Of("prediction", a.Select(x => x * factor).ToArray()), PredictionRole.Prediction)]);
    }

    public void Dispose()
    {
    }
}
