using Keel.ML.Manifest;

namespace Keel.ML;

/// <summary>What <see cref="ModelPackage.SaveMlNet"/> records beside the ML.NET model.</summary>
public sealed record MlNetSaveOptions
{
    /// <summary>binary, multiclass or regression.</summary>
    public required string Task { get; init; }

    /// <summary>The label column, left out of the input schema.</summary>
    public string LabelColumn { get; init; } = "Label";

    /// <summary>Original label values of a classifier (binary: negative then positive). Multiclass defaults to the Score slot names.</summary>
    public IReadOnlyList<string>? LabelValues { get; init; }

    /// <summary>Input columns to declare; defaults to every schema column except the label.</summary>
    public IReadOnlyList<string>? InputColumns { get; init; }

    /// <summary>The run that produced the model.</summary>
    public string? RunId { get; init; }

    /// <summary>Artifact path under the run (MLflow's <c>artifact_path</c>).</summary>
    public string ArtifactPath { get; init; } = "model";

    /// <summary>Keel's section (dataset, metrics, feature importance).</summary>
    public KeelModelInfo? Keel { get; init; }
}
