using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class RoundTripTests : ContentFixture
{
    [Fact]
    public async Task A_single_file_round_trips_byte_for_byte()
    {
        var data = RandomBytes(9 * 1024 * 1024 + 17, 3);
        var source = Write("in/train.csv", data);

        var manifest = await Store.SnapshotAsync(source);

        Assert.True(manifest.IsSingleFile);
        var file = Assert.Single(manifest.Files);
        Assert.Equal("train.csv", file.Path);
        Assert.Equal(data.Length, file.Size);
        Assert.Equal(data.Length, manifest.TotalBytes);
        Assert.True(file.Chunks.Count > 1);

        var target = PathOf("out/copy.csv");
        await Store.MaterializeAsync(manifest, target);
        Assert.Equal(data, await File.ReadAllBytesAsync(target));

        // An existing directory as the destination receives the file under its name.
        Directory.CreateDirectory(PathOf("out2"));
        await Store.MaterializeAsync(manifest, PathOf("out2"));
        Assert.Equal(data, await File.ReadAllBytesAsync(PathOf("out2/train.csv")));
    }

    [Fact]
    public async Task A_tree_round_trips_with_empty_files_nested_folders_and_unicode_names()
    {
        Write("tree/a.csv", "x,y\n1,2\n"u8.ToArray());
        Write("tree/empty.txt", []);
        Write("tree/sub/deeper/big.bin", RandomBytes(6 * 1024 * 1024, 5));
        Write("tree/sub/données é.json", "{\"k\":1}"u8.ToArray());
        Write("tree/.hidden", "h"u8.ToArray());
        Directory.CreateDirectory(PathOf("tree/empty-dir"));

        var manifest = await Store.SnapshotAsync(PathOf("tree"));

        Assert.False(manifest.IsSingleFile);
        Assert.Equal([".hidden", "a.csv", "empty.txt", "sub/deeper/big.bin", "sub/données é.json"], manifest.Files.Select(f => f.Path));
        Assert.Empty(manifest.Files.Single(f => f.Path == "empty.txt").Chunks);

        await Store.MaterializeAsync(manifest, PathOf("restored"));
        Assert.False(Directory.Exists(PathOf("restored/empty-dir")));
        AssertSameTree(PathOf("tree"), PathOf("restored"));

        var read = await Store.ReadManifestAsync(manifest.Digest);
        Assert.Equal(manifest.Digest, read.Digest);
        Assert.Equal(manifest.Files, read.Files, ManifestFileComparer.Instance);
    }

    [Fact]
    public async Task A_file_or_a_folder_of_a_version_can_be_materialized_alone()
    {
        Write("tree/a.csv", "a"u8.ToArray());
        Write("tree/sub/b.csv", "b"u8.ToArray());
        Write("tree/sub/c/d.csv", "d"u8.ToArray());
        Write("tree/subway.csv", "s"u8.ToArray());
        var manifest = await Store.SnapshotAsync(PathOf("tree"));

        await Store.MaterializeAsync(manifest, PathOf("one.csv"), "sub/c/d.csv");
        Assert.Equal("d", await File.ReadAllTextAsync(PathOf("one.csv")));

        await Store.MaterializeAsync(manifest, PathOf("folder"), "sub/");
        Assert.Equal(["b.csv", Path.Combine("c", "d.csv")], Directory.EnumerateFiles(PathOf("folder"), "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(PathOf("folder"), p)).Order(StringComparer.Ordinal));

        var error = await Assert.ThrowsAsync<Keel.Core.Errors.KeelException>(() => Store.MaterializeAsync(manifest, PathOf("x"), "su"));
        Assert.Contains("'su'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkout_is_complete_read_only_and_reused()
    {
        Write("tree/a.csv", RandomBytes(1000, 1));
        Write("tree/b/c.csv", RandomBytes(2000, 2));
        var manifest = await Store.SnapshotAsync(PathOf("tree"));

        var path = await Store.CheckoutAsync(manifest);
        Assert.Equal(Path.Combine(Root, "cache", "checkouts", manifest.Digest), path);
        AssertSameTree(PathOf("tree"), path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(path, "a.csv")));
        }

        Artifacts.Reset();
        Assert.Equal(path, await Store.CheckoutAsync(manifest));
        Assert.Equal(0, Artifacts.Reads);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(Root, "cache", "checkouts"), ".tmp-*"));
    }

    [Fact]
    public async Task A_single_file_checkout_returns_the_file()
    {
        var source = Write("model-input.parquet", RandomBytes(300_000, 4));
        var manifest = await Store.SnapshotAsync(source);

        var path = await Store.CheckoutAsync(manifest);

        Assert.Equal(Path.Combine(Root, "cache", "checkouts", manifest.Digest, "model-input.parquet"), path);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Progress_reports_reach_the_totals()
    {
        Write("tree/a.bin", RandomBytes(5 * 1024 * 1024, 1));
        Write("tree/b.bin", RandomBytes(100, 2));
        var reports = new List<ContentProgress>();
        var manifest = await Store.SnapshotAsync(PathOf("tree"), new SynchronousProgress(reports.Add));

        var last = reports[^1];
        Assert.Equal((manifest.TotalBytes, manifest.TotalBytes, 2, 2), (last.BytesDone, last.BytesTotal, last.FilesDone, last.FilesTotal));
        Assert.Equal(manifest.TotalBytes, last.BytesUploaded);
    }

    private sealed class SynchronousProgress(Action<ContentProgress> report) : IProgress<ContentProgress>
    {
        public void Report(ContentProgress value) => report(value);
    }
}
