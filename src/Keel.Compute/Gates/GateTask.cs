using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>The kind of model a gate compares.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateTask>))]
public enum GateTask
{
    /// <summary>Labels 0/1; predictions are the positive class's probability per row.</summary>
    [JsonStringEnumMemberName("binary")]
    Binary,

    /// <summary>Labels are class indices; predictions are row-major class probabilities (rows × classes).</summary>
    [JsonStringEnumMemberName("multiclass")]
    Multiclass,

    /// <summary>Labels and predictions are values.</summary>
    [JsonStringEnumMemberName("regression")]
    Regression,
}
