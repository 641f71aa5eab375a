namespace Keel.ML.Manifest;

/// <summary>
/// The <c>keel</c> section of an MLmodel file: what Keel records beyond MLflow. MLflow's client
/// keeps unknown top-level keys, so a model carrying this section still loads in MLflow.
/// </summary>
public sealed record KeelModelInfo
{
    /// <summary>URI of the training dataset.</summary>
    public string? TrainingDataset { get; init; }

    /// <summary>Content hash of the training dataset (e.g. sha256:...).</summary>
    public string? TrainingDatasetHash { get; init; }

    /// <summary>Metrics at registration.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Feature name to importance.</summary>
    public IReadOnlyDictionary<string, double> FeatureImportance { get; init; } = new Dictionary<string, double>();

    /// <summary>Path, relative to the model directory, of the reference data profile used for drift.</summary>
    public string? ReferenceProfilePath { get; init; }

    internal static KeelModelInfo? From(IReadOnlyDictionary<string, object?>? map) => map is null ? null : new KeelModelInfo
    {
        TrainingDataset = map.Str("training_dataset"),
        TrainingDatasetHash = map.Str("training_dataset_hash"),
        Metrics = map.DoubleMap("metrics"),
        FeatureImportance = map.DoubleMap("feature_importance"),
        ReferenceProfilePath = map.Str("reference_profile_path"),
    };

    internal Dictionary<string, object?> ToTree() => new(StringComparer.Ordinal)
    {
        ["training_dataset"] = TrainingDataset,
        ["training_dataset_hash"] = TrainingDatasetHash,
        ["metrics"] = Metrics.ToTree(),
        ["feature_importance"] = FeatureImportance.ToTree(),
        ["reference_profile_path"] = ReferenceProfilePath,
    };
}
