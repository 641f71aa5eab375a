namespace Keel.ML;

/// <summary>The meaning of a <see cref="PredictionOutput"/>.</summary>
public enum PredictionRole
{
    /// <summary>The prediction: a class label or a regression value.</summary>
    Prediction,

    /// <summary>Per-class probabilities; slot names are the classes.</summary>
    Probabilities,

    /// <summary>Anything else the model returns (raw scores, embeddings...).</summary>
    Other,
}
