namespace Keel.Training;

/// <summary>What a training spec learns to predict.</summary>
public enum TrainingTask
{
    /// <summary>Two classes; metrics use the positive class's probability.</summary>
    Binary,

    /// <summary>Three or more classes.</summary>
    Multiclass,

    /// <summary>A numeric target.</summary>
    Regression,
}
