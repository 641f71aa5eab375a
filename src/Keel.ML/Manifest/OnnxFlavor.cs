namespace Keel.ML.Manifest;

/// <summary>The <c>flavors.onnx</c> section, as <c>mlflow.onnx.save_model</c> writes it.</summary>
/// <param name="Data">The ONNX file, relative to the model directory (MLflow: <c>model.onnx</c>).</param>
/// <param name="OnnxVersion">The onnx package version that saved the model.</param>
/// <param name="Providers">ONNX Runtime execution providers in preference order.</param>
public sealed record OnnxFlavor(string Data, string? OnnxVersion, IReadOnlyList<string> Providers)
{
    /// <summary>The flavor name in the MLmodel file.</summary>
    public const string Name = "onnx";

    internal static OnnxFlavor? From(IReadOnlyDictionary<string, object?>? map) =>
        map is null ? null : new OnnxFlavor(map.Str("data") ?? "model.onnx", map.Str("onnx_version"), map.StrList("providers"));

    internal Dictionary<string, object?> ToTree() => new(StringComparer.Ordinal)
    {
        ["code"] = null,
        ["data"] = Data,
        ["onnx_version"] = OnnxVersion,
        ["providers"] = Providers.ToList(),
    };
}
