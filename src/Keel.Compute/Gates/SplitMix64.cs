namespace Keel.Compute.Gates;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: tiny, fast, and specified bit for bit, so a bootstrap seeded
/// the same draws the same rows everywhere (System.Random's seeded sequence is not a contract) and a
/// Python reference can replay it.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A row in [0, n): the high word of next × n (Lemire's multiply-shift; bias below n / 2⁶⁴).</summary>
    public int NextIndex(int n) => (int)Math.BigMul(Next(), (ulong)n, out _);
}
