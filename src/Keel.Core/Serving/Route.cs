using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>One model version behind an endpoint and its share of live traffic in percent.</summary>
/// <param name="ModelUri">A model URI (<c>models:/name/1</c>, <c>models:/name@alias</c>, <c>runs:/id/path</c>).</param>
/// <param name="Weight">Share of live traffic, 0..100; shadow and standby routes have 0.</param>
/// <param name="Role">What the route is for.</param>
public sealed record Route(string ModelUri, int Weight, RouteRole Role)
{
    /// <summary>True when the route answers clients (a primary or challenger with a share).</summary>
    [JsonIgnore]
    public bool IsLive => Role is RouteRole.Primary or RouteRole.Challenger && Weight > 0;
}
