using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class GearChunkerTests : ContentFixture
{
    private static List<int> Cut(byte[] data)
    {
        var cuts = new List<int>();
        for (var position = 0; position < data.Length;)
        {
            var cut = GearChunker.NextCut(data.AsSpan(position));
            cuts.Add(cut);
            position += cut;
        }

        return cuts;
    }

    [Fact]
    public void Cuts_are_deterministic_and_every_chunk_but_the_last_is_within_min_and_max()
    {
        var data = RandomBytes(48 * 1024 * 1024, 7);
        var cuts = Cut(data);
        Assert.Equal(cuts, Cut(data.ToArray()));
        Assert.Equal(data.Length, cuts.Sum());
        Assert.InRange(cuts.Count, 20, 60);
        foreach (var size in cuts[..^1])
        {
            Assert.InRange(size, GearChunker.MinSize, GearChunker.MaxSize);
        }

        // Normalized chunking keeps most chunks near the 1 MiB target, not at the bounds.
        Assert.True(cuts.Count(c => c == GearChunker.MaxSize) <= cuts.Count / 4, string.Join(",", cuts));
    }

    [Fact]
    public void Data_with_no_content_boundary_is_cut_at_the_maximum()
    {
        var cuts = Cut(new byte[10 * 1024 * 1024]);
        Assert.Equal([GearChunker.MaxSize, GearChunker.MaxSize, 2 * 1024 * 1024], cuts);
    }

    [Fact]
    public void Short_data_is_one_chunk()
    {
        Assert.Equal(1000, GearChunker.NextCut(new byte[1000]));
        Assert.Equal(GearChunker.MinSize, GearChunker.NextCut(RandomBytes(GearChunker.MinSize, 1)));
    }

    [Fact]
    public async Task Streaming_a_large_file_cuts_exactly_where_cutting_it_in_memory_does()
    {
        // 40 MiB crosses the 16 MiB read windows several times, with chunks carried across them.
        var data = RandomBytes(40 * 1024 * 1024 + 12345, 11);
        var path = Write("big.bin", data);
        var seen = new List<(string Hash, int Size)>();
        var (chunks, sizes) = await FileHasher.HashStreamingAsync(
            path,
            "big.bin",
            (hash, bytes) =>
            {
                seen.Add((hash.ToString(), bytes.Length));
                return ValueTask.CompletedTask;
            },
            _ => { },
            CancellationToken.None);

        var expected = new List<(string, int)>();
        var position = 0;
        foreach (var cut in Cut(data))
        {
            expected.Add((ContentHash.Compute(data.AsSpan(position, cut)).ToString(), cut));
            position += cut;
        }

        Assert.Equal(expected, seen);
        Assert.Equal(expected.Select(e => e.Item2), sizes);
        Assert.Equal(expected.Select(e => e.Item1), chunks.Select(c => c.ToString()));
    }
}
