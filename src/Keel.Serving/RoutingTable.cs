using Keel.Core.Serving;

namespace Keel.Serving;

/// <summary>
/// An immutable snapshot of how one endpoint routes: built off the hot path whenever the endpoint
/// changes and published with one reference swap, so a request sees either the old table or the
/// new one, whole, and never waits for a change. Live variants are ordered challenger-first over
/// the 10,000 hash buckets (see <see cref="StickyHash"/>).
/// </summary>
internal sealed class RoutingTable
{
    private readonly int[] _upperBuckets;

    public RoutingTable(Endpoint endpoint, IReadOnlyList<Variant> variants, ConcurrencyGate gate)
    {
        Endpoint = endpoint;
        Variants = variants;
        Gate = gate;
        Live = [.. variants.Where(v => v.Route.IsLive).OrderBy(v => v.Route.Role == RouteRole.Primary ? 1 : 0)];
        Shadow = variants.FirstOrDefault(v => v.Route.Role == RouteRole.Shadow);
        Primary = variants.First(v => v.Route.Role == RouteRole.Primary);
        if (Live.Length == 0)
        {
            Live = [Primary];
        }

        var total = Live.Sum(v => v.Route.Weight);
        _upperBuckets = new int[Live.Length];
        var acc = 0;
        for (var i = 0; i < Live.Length; i++)
        {
            acc += Live[i].Route.Weight;
            _upperBuckets[i] = total == 0 ? StickyHash.Buckets : (int)((long)acc * StickyHash.Buckets / total);
        }

        _upperBuckets[^1] = StickyHash.Buckets;
        (StickyHeader, StickyField) = endpoint.StickyKey switch
        {
            { } k when k.StartsWith("header:", StringComparison.Ordinal) => (k[7..], (string?)null),
            { } k when k.StartsWith("field:", StringComparison.Ordinal) => (null, k[6..]),
            _ => (null, null),
        };
    }

    public Endpoint Endpoint { get; }

    public string Name => Endpoint.Name;

    public IReadOnlyList<Variant> Variants { get; }

    public Variant[] Live { get; }

    public Variant Primary { get; }

    public Variant? Shadow { get; }

    public ConcurrencyGate Gate { get; }

    public bool IsSticky => Endpoint.Mode == EndpointMode.AbTest;

    public string? StickyHeader { get; }

    public string? StickyField { get; }

    /// <summary>The variant that owns a bucket (0..9,999).</summary>
    public Variant Select(int bucket)
    {
        var live = Live;
        if (live.Length == 1)
        {
            return live[0];
        }

        for (var i = 0; i < live.Length; i++)
        {
            if (bucket < _upperBuckets[i])
            {
                return live[i];
            }
        }

        return live[^1];
    }
}
