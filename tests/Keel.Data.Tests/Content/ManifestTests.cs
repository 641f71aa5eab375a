using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class ManifestTests : ContentFixture
{
    [Fact]
    public async Task The_digest_depends_on_content_only_not_on_creation_order_paths_or_runs()
    {
        string[] names = ["b.csv", "a/z.txt", "a/y.txt", "c/d/e.bin", "A.csv"];
        foreach (var name in names)
        {
            Write("one/" + name, System.Text.Encoding.UTF8.GetBytes("content of " + name));
        }

        foreach (var name in names.Reverse())
        {
            Write("two/" + name, System.Text.Encoding.UTF8.GetBytes("content of " + name), DateTime.UtcNow.AddHours(-1));
        }

        var one = await Store.SnapshotAsync(PathOf("one"));
        var two = await NewStore("other").SnapshotAsync(PathOf("two"));

        Assert.Equal(one.Digest, two.Digest);
        Assert.Equal(["A.csv", "a/y.txt", "a/z.txt", "b.csv", "c/d/e.bin"], one.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task The_format_is_pinned_by_a_known_digest()
    {
        // If this changes, every stored dataset version's identity changed: bump the format instead.
        Write("pinned/hello.txt", "hello\n"u8.ToArray());
        Write("pinned/empty", []);
        var manifest = await Store.SnapshotAsync(PathOf("pinned"));

        Assert.Equal(Blake3.Hasher.Hash("hello\n"u8).ToString(), manifest.Files[1].Chunks[0].Digest);
        Assert.Equal("3ab6fc0947977f20be14b19ddd8ff8c65ea87615cbe818814140cd16b11bfd27", manifest.Digest);
    }

    [Fact]
    public async Task A_file_and_a_folder_holding_it_are_different_versions()
    {
        var file = await Store.SnapshotAsync(Write("x/data.csv", "a\n"u8.ToArray()));
        var folder = await Store.SnapshotAsync(PathOf("x"));
        Assert.True(file.IsSingleFile);
        Assert.False(folder.IsSingleFile);
        Assert.NotEqual(file.Digest, folder.Digest);
        Assert.Equal(file.Files, folder.Files, ManifestFileComparer.Instance);
    }

    [Fact]
    public async Task Diff_reports_added_removed_and_changed_files()
    {
        Write("v1/same.csv", "s"u8.ToArray());
        Write("v1/gone.csv", "g"u8.ToArray());
        Write("v1/edit.csv", "old"u8.ToArray());
        Write("v2/same.csv", "s"u8.ToArray());
        Write("v2/edit.csv", "newer"u8.ToArray());
        Write("v2/sub/new.csv", "n"u8.ToArray());
        var v1 = await Store.SnapshotAsync(PathOf("v1"));
        var v2 = await Store.SnapshotAsync(PathOf("v2"));

        var diff = ManifestDiff.Compare(v1, v2);

        Assert.Equal(["sub/new.csv"], diff.Added.Select(f => f.Path));
        Assert.Equal(["gone.csv"], diff.Removed.Select(f => f.Path));
        var change = Assert.Single(diff.Changed);
        Assert.Equal(("edit.csv", 3L, 5L), (change.Path, change.OldSize, change.NewSize));
        Assert.Equal(v1.Files.Single(f => f.Path == "edit.csv").Digest, change.OldDigest);
        Assert.Equal(v2.Files.Single(f => f.Path == "edit.csv").Digest, change.NewDigest);
        Assert.Equal(1, diff.UnchangedCount);
        Assert.False(diff.IsIdentical);
        Assert.True(ManifestDiff.Compare(v2, v2).IsIdentical);
    }
}
