using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>How <see cref="McNemarTest"/> turns the discordant counts into a p-value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<McNemarMethod>))]
public enum McNemarMethod
{
    /// <summary>Exact when there are fewer than <see cref="McNemarTest.ExactBelow"/> discordant rows, chi-square otherwise.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>Exact two-sided binomial test on the discordant rows.</summary>
    [JsonStringEnumMemberName("exact")]
    Exact,

    /// <summary>Chi-square with continuity correction, one degree of freedom.</summary>
    [JsonStringEnumMemberName("chi2")]
    ChiSquare,
}
