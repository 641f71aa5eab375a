using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>What a route is for within its endpoint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RouteRole>))]
public enum RouteRole
{
    /// <summary>The champion: the version that serves when nothing else is going on.</summary>
    [JsonStringEnumMemberName("primary")]
    Primary,

    /// <summary>A version taking a share of live traffic (canary, A/B variant).</summary>
    [JsonStringEnumMemberName("challenger")]
    Challenger,

    /// <summary>Receives a copy of requests; never answers a client.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,

    /// <summary>Loaded and warm but taking no traffic (blue-green's other colour, the previous champion).</summary>
    [JsonStringEnumMemberName("standby")]
    Standby,
}
