using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>How an endpoint splits traffic between its routes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EndpointMode>))]
public enum EndpointMode
{
    /// <summary>One live route takes every request.</summary>
    [JsonStringEnumMemberName("single")]
    Single,

    /// <summary>Weighted random split (a progressive rollout runs in this mode).</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,

    /// <summary>Weighted split, sticky per request key by consistent hashing.</summary>
    [JsonStringEnumMemberName("ab_test")]
    AbTest,

    /// <summary>The primary answers; the shadow gets a copy whose answer is recorded, never returned.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,

    /// <summary>All traffic on one colour; the other is kept loaded for an instant switch back.</summary>
    [JsonStringEnumMemberName("blue_green")]
    BlueGreen,
}
