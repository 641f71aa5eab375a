using Keel.ML.Data;

namespace Keel.ML;

/// <summary>One output of a prediction, e.g. the label, the probabilities, a regression value.</summary>
public sealed class PredictionOutput
{
    /// <summary>Creates an output.</summary>
    public PredictionOutput(BatchColumn column, PredictionRole role, IReadOnlyList<string>? slotNames = null, bool hiddenByDefault = false)
    {
        Column = column;
        Role = role;
        SlotNames = slotNames;
        HiddenByDefault = hiddenByDefault;
    }

    /// <summary>The values, named as the model names them.</summary>
    public BatchColumn Column { get; }

    /// <summary>What the output means.</summary>
    public PredictionRole Role { get; }

    /// <summary>Names of the vector slots (class labels for probabilities).</summary>
    public IReadOnlyList<string>? SlotNames { get; }

    /// <summary>
    /// True for outputs a scoring response leaves out unless asked (an ML.NET classifier's
    /// probabilities), so that a single-prediction model answers a plain list as MLflow pyfunc does.
    /// </summary>
    public bool HiddenByDefault { get; }
}
