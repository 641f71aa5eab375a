using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class StatCacheTests : ContentFixture
{
    [Fact]
    public async Task An_unchanged_file_is_recognised_by_size_and_time_without_reading_it()
    {
        var path = Write("data.bin", RandomBytes(5 * 1024 * 1024, 1));
        var first = await Store.SnapshotAsync(path);

        // Same size and time, other bytes: a cache that trusts stat reports the old content,
        // which proves the file was not read.
        Write("data.bin", RandomBytes(5 * 1024 * 1024, 2));
        var second = await Store.SnapshotAsync(path);
        Assert.Equal(first.Digest, second.Digest);

        // A new modification time makes it read and hash the file again.
        File.SetLastWriteTimeUtc(path, Old.AddSeconds(1));
        var third = await Store.SnapshotAsync(path);
        Assert.NotEqual(first.Digest, third.Digest);
    }

    [Fact]
    public async Task A_damaged_cache_file_is_ignored_not_trusted()
    {
        var path = Write("data.bin", RandomBytes(100_000, 1));
        var first = await Store.SnapshotAsync(path);
        var cacheFile = Assert.Single(Directory.EnumerateFiles(Path.Combine(Root, "cache", "stat")));
        var bytes = await File.ReadAllBytesAsync(cacheFile);

        // Header (8 + 4), path (4 + 8), size and time (16): byte 50 is inside the file's digest.
        bytes[50] ^= 0x40;
        await File.WriteAllBytesAsync(cacheFile, bytes);

        // Trusting the damaged entry would report a different digest for the unchanged file.
        var second = await Store.SnapshotAsync(path);

        Assert.Equal(first.Digest, second.Digest);
    }

    [Fact]
    public async Task Entries_of_deleted_files_are_dropped_from_the_cache()
    {
        Write("tree/keep.txt", "k"u8.ToArray());
        Write("tree/gone.txt", "g"u8.ToArray());
        await Store.SnapshotAsync(PathOf("tree"));
        var cacheFile = Assert.Single(Directory.EnumerateFiles(Path.Combine(Root, "cache", "stat")));
        var before = new FileInfo(cacheFile).Length;

        File.Delete(PathOf("tree/gone.txt"));
        await Store.SnapshotAsync(PathOf("tree"));

        Assert.True(new FileInfo(cacheFile).Length < before);
    }

    [Fact]
    public async Task A_changed_size_is_hashed_again()
    {
        var path = Write("data.txt", "1234"u8.ToArray());
        var first = await Store.SnapshotAsync(path);
        Write("data.txt", "12345"u8.ToArray());
        var second = await Store.SnapshotAsync(path);
        Assert.NotEqual(first.Digest, second.Digest);
        Assert.Equal(5, second.TotalBytes);
    }

    [Fact]
    public async Task A_file_modified_just_before_it_was_read_is_not_trusted_next_time()
    {
        // Written "now": a second write within the same timestamp tick could keep size and time.
        var now = DateTime.UtcNow;
        var path = Write("racy.csv", "a,b\n1,2\n"u8.ToArray(), now);
        var first = await Store.SnapshotAsync(path);

        Write("racy.csv", "a,b\n3,4\n"u8.ToArray(), now);
        var second = await Store.SnapshotAsync(path);

        Assert.NotEqual(first.Digest, second.Digest);
    }

    [Fact]
    public async Task The_cache_is_not_trusted_for_chunks_the_store_no_longer_has()
    {
        var path = Write("data.bin", RandomBytes(100_000, 1));
        await Store.SnapshotAsync(path);
        await Artifacts.DeleteAsync("datasets");

        // A new instance lists the store, forgets the lost pack and uploads the file again.
        var store = NewStore("cache");
        Artifacts.Reset();
        var manifest = await store.SnapshotAsync(path);
        Assert.Equal(100_000, Artifacts.PackBytesWritten);
        await store.MaterializeAsync(manifest, PathOf("out.bin"));
        Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(PathOf("out.bin")));
    }

    [Fact]
    public async Task A_fresh_cache_directory_rebuilds_the_chunk_index_from_the_store()
    {
        Write("tree/a.bin", RandomBytes(3 * 1024 * 1024, 1));
        Write("tree/b.txt", "b"u8.ToArray());
        var manifest = await Store.SnapshotAsync(PathOf("tree"));
        Artifacts.Reset();

        // Another machine: nothing cached, same store.
        var other = NewStore("other-cache");
        var again = await other.SnapshotAsync(PathOf("tree"));
        Assert.Equal(manifest.Digest, again.Digest);
        Assert.Equal(0, Artifacts.PackBytesWritten);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Root, "other-cache", "index")));

        var third = NewStore("third-cache");
        await third.MaterializeAsync(await third.ReadManifestAsync(manifest.Digest), PathOf("restored"));
        AssertSameTree(PathOf("tree"), PathOf("restored"));
    }
}
