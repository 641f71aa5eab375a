using Keel.ML.Data;

namespace Keel.ML;

/// <summary>One output of a prediction, e.g. the label, the probabilities, a regression value.</summary>
public sealed class PredictionOutput
{
    /// <summary>Creates an output.</summary>
    /// <param name="column">The values, row-major.</param>
    /// <param name="role">What the output means.</param>
    /// <param name="slotNames">Names of the vector slots, if any.</param>
    /// <param name="hiddenByDefault">See <see cref="HiddenByDefault"/>.</param>
    /// <param name="shape">The tensor shape the model produced, rows first; null when the flavor has none.</param>
    public PredictionOutput(BatchColumn column, PredictionRole role, IReadOnlyList<string>? slotNames = null, bool hiddenByDefault = false, IReadOnlyList<long>? shape = null)
    {
        Column = column;
        Role = role;
        SlotNames = slotNames;
        HiddenByDefault = hiddenByDefault;
        Shape = shape;
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

    /// <summary>
    /// The output tensor's shape as the model produced it, rows first: <c>[2, 1]</c> for two rows
    /// of a <c>[-1, 1]</c> output, <c>[2]</c> for a <c>[-1]</c> one. The column's width cannot tell
    /// those apart, and the V2 protocol answers with the model's shape. Null for flavors without
    /// tensors (ML.NET), whose shape is rows, then the width when above 1.
    /// </summary>
    public IReadOnlyList<long>? Shape { get; }
}
