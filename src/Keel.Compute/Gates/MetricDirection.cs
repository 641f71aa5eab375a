using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>Which way a metric improves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricDirection>))]
public enum MetricDirection
{
    /// <summary>Larger is better (AUC, accuracy, r2).</summary>
    [JsonStringEnumMemberName("higher_is_better")]
    HigherIsBetter,

    /// <summary>Smaller is better (RMSE, MAE, log-loss).</summary>
    [JsonStringEnumMemberName("lower_is_better")]
    LowerIsBetter,
}
