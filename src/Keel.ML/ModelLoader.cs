using Keel.Core.Errors;
using Keel.ML.Manifest;
using Keel.ML.MlNet;
using Keel.ML.Onnx;

namespace Keel.ML;

/// <summary>Loads a model directory, choosing the flavor from its MLmodel file.</summary>
public static class ModelLoader
{
    /// <summary>Flavors Keel can score, in preference order.</summary>
    public static IReadOnlyList<string> SupportedFlavors { get; } = [MlNetFlavor.Name, OnnxFlavor.Name];

    /// <summary>Loads the model in <paramref name="directory"/> (a directory holding an MLmodel file).</summary>
    public static IModel Load(string directory)
    {
        var manifest = ModelManifest.Load(directory);
        if (manifest.MlNet is { } mlnet)
        {
            return new MlNetModel(directory, manifest, mlnet);
        }

        if (manifest.Onnx is { } onnx)
        {
            return new OnnxModel(directory, manifest, onnx);
        }

        throw KeelException.InvalidParameter(
            $"The model at '{directory}' has flavors [{string.Join(", ", manifest.Flavors.Keys)}]; Keel can load {string.Join(" or ", SupportedFlavors)}.");
    }
}
