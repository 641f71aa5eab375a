using System.Text;
using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class DedupTests : ContentFixture
{
    private static byte[] Table(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,name,amount,category\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(i).Append(",user-").Append(random.Next(1_000_000)).Append(',').Append(random.NextDouble().ToString("F6", System.Globalization.CultureInfo.InvariantCulture)).Append(",c").Append(random.Next(50)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    [Fact]
    public async Task The_same_content_again_uploads_nothing_even_from_another_path()
    {
        var data = RandomBytes(12 * 1024 * 1024, 9);
        Write("one/data.bin", data);
        Write("one/small.txt", "hello"u8.ToArray());
        Write("two/data.bin", data);
        Write("two/small.txt", "hello"u8.ToArray());

        var first = await Store.SnapshotAsync(PathOf("one"));
        Assert.Equal(data.Length + 5, Artifacts.PackBytesWritten);
        Artifacts.Reset();

        // Another path: the stat cache knows nothing of it, so this is chunk-level dedup at work.
        var second = await Store.SnapshotAsync(PathOf("two"));

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(0, Artifacts.PackBytesWritten);
    }

    [Fact]
    public async Task Duplicate_files_in_one_snapshot_are_stored_once()
    {
        var data = RandomBytes(2 * 1024 * 1024, 4);
        Write("tree/a.bin", data);
        Write("tree/copy/a.bin", data);

        await Store.SnapshotAsync(PathOf("tree"));

        Assert.Equal(data.Length, Artifacts.PackBytesWritten);
    }

    [Fact]
    public async Task Appending_a_row_to_a_20_MB_table_uploads_only_its_last_chunks()
    {
        var table = Table(700_000, 1);
        Assert.True(table.Length > 20_000_000);
        var path = Write("table.csv", table);
        var before = await Store.SnapshotAsync(path);
        Artifacts.Reset();

        Write("table.csv", [.. table, .. "700000,user-42,0.500000,c7\n"u8.ToArray()]);
        var after = await Store.SnapshotAsync(path);

        var oldChunks = before.Files[0].Chunks;
        var newChunks = after.Files[0].Chunks;
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Equal(oldChunks.Take(oldChunks.Count - 1), newChunks.Take(oldChunks.Count - 1));
        Assert.InRange(Artifacts.PackBytesWritten, 1, newChunks[^1].Size + (newChunks.Count > oldChunks.Count ? newChunks[^2].Size : 0));
        Assert.True(Artifacts.PackBytesWritten < GearChunker.MaxSize);
    }

    [Fact]
    public async Task Inserting_bytes_near_the_start_reuses_most_chunks()
    {
        var table = Table(700_000, 2);
        var path = Write("table.csv", table);
        var before = await Store.SnapshotAsync(path);
        Artifacts.Reset();

        var edited = new byte[table.Length + 100];
        table.AsSpan(0, 1000).CopyTo(edited);
        Array.Fill(edited, (byte)'!', 1000, 100);
        table.AsSpan(1000).CopyTo(edited.AsSpan(1100));
        Write("table.csv", edited);
        var after = await Store.SnapshotAsync(path);

        var oldSet = before.Files[0].Chunks.Select(c => c.Digest).ToHashSet();
        var newChunks = after.Files[0].Chunks;
        var reused = newChunks.Count(c => oldSet.Contains(c.Digest));
        Assert.True(reused >= newChunks.Count - 2, $"{reused} of {newChunks.Count} chunks reused");
        Assert.True(Artifacts.PackBytesWritten < 2 * GearChunker.MaxSize);
        Assert.True(Artifacts.PackBytesWritten < table.Length / 4);
    }

    [Fact]
    public async Task Many_small_files_become_few_pack_objects()
    {
        for (var i = 0; i < 2000; i++)
        {
            Write($"many/{i / 100:D2}/f{i:D4}.json", Encoding.ASCII.GetBytes($"{{\"i\":{i}}}"));
        }

        var manifest = await Store.SnapshotAsync(PathOf("many"));

        Assert.Equal(2000, manifest.FileCount);
        // One pack, its index and the manifest: not 2,000 objects.
        Assert.Equal(3, Artifacts.Writes);
        await Store.MaterializeAsync(manifest, PathOf("restored"));
        AssertSameTree(PathOf("many"), PathOf("restored"));
    }
}
