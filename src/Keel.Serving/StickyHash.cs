namespace Keel.Serving;

/// <summary>
/// Maps a request key to one of 10,000 buckets (0.01% of traffic each) with a stable hash
/// (FNV-1a then a 64-bit finaliser), independent of process and platform so a caller keeps its
/// variant across restarts and replicas. Buckets are assigned to variants challenger-first in
/// the routing table, so raising the challenger's share only moves callers from champion to
/// challenger, never back: that is what makes the split consistent.
/// </summary>
internal static class StickyHash
{
    public const int Buckets = 10_000;

    public static int Bucket(ReadOnlySpan<char> key)
    {
        var h = 14695981039346656037UL;
        foreach (var c in key)
        {
            h = (h ^ (byte)c) * 1099511628211UL;
            h = (h ^ (byte)(c >> 8)) * 1099511628211UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return (int)(h % Buckets);
    }
}
