namespace Keel.Application.Monitoring;

/// <summary>What monitoring needs to know about a model version from its package.</summary>
/// <param name="TrainingDataset">The dataset version it was trained on (<c>datasets:/NAME/VERSION</c>), or null.</param>
/// <param name="Task"><c>binary</c>, <c>multiclass</c>, <c>regression</c>, or null when unknown.</param>
/// <param name="LabelColumn">The label column, or null.</param>
/// <param name="LabelValues">For classifiers, the classes in the order of the model's probabilities (binary: negative, positive).</param>
public sealed record ModelFacts(string? TrainingDataset, string? Task, string? LabelColumn, IReadOnlyList<string> LabelValues)
{
    /// <summary>Nothing known.</summary>
    public static readonly ModelFacts Unknown = new(null, null, null, []);

    /// <summary>True for binary and multiclass models.</summary>
    public bool IsClassifier => Task is "binary" or "multiclass";
}
