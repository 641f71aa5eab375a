using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Keel.Data.Content;

/// <summary>
/// Content-defined chunking in the FastCDC style: a gear rolling hash, no hashing at all below the
/// minimum size, normalized chunking (a harder mask before the average size, an easier one after it,
/// so sizes bunch around the average), and the hash advanced two bytes per step with cut points
/// tested at every second byte (FastCDC's "rolling two bytes"), which halves the loop's serial
/// dependency chain. Written here because no package on the allowed NuGet list does content-defined
/// chunking.
/// <para>
/// Sizes: 512 KiB minimum, 1 MiB target, 4 MiB maximum (restic's minimum and target). Datasets are
/// large files and many small ones: a 1 MiB target keeps a 1 GB file at ~900 chunks (a manifest entry
/// of ~70 KB), a small file is exactly one chunk, and appending rows to a table rewrites about one
/// chunk. Smaller targets (8-64 KiB) would dedup finer but multiply index entries and object writes
/// by 16-128 for the same data. The minimum is half the target because the gear hash, not BLAKE3, is
/// the slower of the two (about 1.3 against 2.5 GB/s in memory here): bytes below the minimum are
/// never rolled, so the cut search touches only ~55% of the bytes and keeps up with the hashing.
/// </para>
/// The parameters and the gear table are part of the stored format: changing either changes every
/// chunk boundary, so they are versioned with the manifest format (<see cref="Name"/>).
/// </summary>
internal static class GearChunker
{
    public const int MinSize = 512 * 1024;
    public const int AverageSize = 1024 * 1024;
    public const int MaxSize = 4 * 1024 * 1024;

    /// <summary>The chunking scheme's name as recorded in every manifest.</summary>
    public const string Name = "gear2-cdc-v1 524288/1048576/4194304";

    // The hash shifts left once per byte, so bit k depends on the last k+1 bytes: the masks use the
    // top bits (a window of ~45 bytes) rather than the low ones, which see only the last few bytes.
    // Tested every second byte: 21 bits (1 in 2 Mi tests, 4 MiB) between min and average and 17 bits
    // (1 in 128 Ki tests, 256 KiB) after: normalization level 2.
    private const ulong MaskHard = 0xFFFFF80000000000UL;
    private const ulong MaskEasy = 0xFFFF800000000000UL;

    private static readonly ulong[] Gear = CreateGear(0);
    private static readonly ulong[] GearShifted = CreateGear(1);

    /// <summary>
    /// The length of the chunk that starts at <paramref name="data"/>[0]: the first content-defined
    /// cut, or <see cref="MaxSize"/>, or all of <paramref name="data"/> when it is shorter. A caller
    /// streaming a file must give at least <see cref="MaxSize"/> bytes unless they are the file's last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int NextCut(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (length <= MinSize)
        {
            return length;
        }

        if (length > MaxSize)
        {
            length = MaxSize;
        }

        var normal = Math.Min(AverageSize, length);
        ref var src = ref MemoryMarshal.GetReference(data);
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        ref var shifted = ref MemoryMarshal.GetArrayDataReference(GearShifted);
        ulong h = 0;
        var i = MinSize;
        for (; i + 1 < normal; i += 2)
        {
            h = (h << 2) + Unsafe.Add(ref shifted, Unsafe.Add(ref src, i)) + Unsafe.Add(ref gear, Unsafe.Add(ref src, i + 1));
            if ((h & MaskHard) == 0)
            {
                return i + 2;
            }
        }

        for (; i + 1 < length; i += 2)
        {
            h = (h << 2) + Unsafe.Add(ref shifted, Unsafe.Add(ref src, i)) + Unsafe.Add(ref gear, Unsafe.Add(ref src, i + 1));
            if ((h & MaskEasy) == 0)
            {
                return i + 2;
            }
        }

        return length;
    }

    // SplitMix64 from a fixed seed: a reproducible table of well-mixed words, with no table literal
    // to mistype. The seed is part of the format.
    private static ulong[] CreateGear(int shift)
    {
        var table = new ulong[256];
        var state = 0x6B65656C2D636463UL; // "keel-cdc"
        for (var i = 0; i < table.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            table[i] = (z ^ (z >> 31)) << shift;
        }

        return table;
    }
}
