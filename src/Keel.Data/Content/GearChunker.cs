using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Keel.Data.Content;

/// <summary>
/// Content-defined chunking in the FastCDC style: a gear rolling hash (one shift, one add and one
/// table load per byte), no hashing at all below the minimum size, and normalized chunking (a harder
/// mask before the average size, an easier one after it) so chunk sizes bunch around the average.
/// Written here because no package on the allowed NuGet list does content-defined chunking.
/// <para>
/// Sizes: 256 KiB minimum, 1 MiB target, 4 MiB maximum. Datasets are large files and many small
/// ones: a 1 MiB target keeps a 1 GB file at ~1,000 chunks (a manifest entry of ~70 KB, a pack index
/// the same), a small file (under the minimum) is exactly one chunk, and appending rows to a table
/// rewrites about one chunk. Smaller targets (git-style 8-64 KiB) would dedup finer but multiply
/// index entries and object writes by 16-128 for the same data; restic settled on a similar 1 MiB.
/// </para>
/// The parameters and the gear table are part of the stored format: changing either changes every
/// chunk boundary, so they are versioned with the manifest format (<see cref="Name"/>).
/// </summary>
internal static class GearChunker
{
    public const int MinSize = 256 * 1024;
    public const int AverageSize = 1024 * 1024;
    public const int MaxSize = 4 * 1024 * 1024;

    /// <summary>The chunking scheme's name as recorded in every manifest.</summary>
    public const string Name = "gear-cdc-v1 262144/1048576/4194304";

    // The hash shifts left once per byte, so bit k depends on the last k+1 bytes: the masks use the
    // top bits (a window of 43-47 bytes) rather than the low ones, which see only the last few bytes.
    // 22 bits (1 in 4 Mi) between min and average, 18 bits (1 in 256 Ki) after: normalization level 2.
    private const ulong MaskHard = 0xFFFFFC0000000000UL;
    private const ulong MaskEasy = 0xFFFFC00000000000UL;

    private static readonly ulong[] Gear = CreateGear();

    /// <summary>
    /// The length of the chunk that starts at <paramref name="data"/>[0]: the first content-defined
    /// cut, or <see cref="MaxSize"/>, or all of <paramref name="data"/> when it is shorter. A caller
    /// streaming a file must give at least <see cref="MaxSize"/> bytes unless they are the file's last.
    /// </summary>
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
        ulong h = 0;
        var i = MinSize;
        for (; i < normal; i++)
        {
            h = (h << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref src, i));
            if ((h & MaskHard) == 0)
            {
                return i + 1;
            }
        }

        for (; i < length; i++)
        {
            h = (h << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref src, i));
            if ((h & MaskEasy) == 0)
            {
                return i + 1;
            }
        }

        return length;
    }

    // SplitMix64 from a fixed seed: a reproducible table of well-mixed words, with no table literal
    // to mistype. The seed is part of the format.
    private static ulong[] CreateGear()
    {
        var table = new ulong[256];
        var state = 0x6B65656C2D636463UL; // "keel-cdc"
        for (var i = 0; i < table.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            table[i] = z ^ (z >> 31);
        }

        return table;
    }
}
