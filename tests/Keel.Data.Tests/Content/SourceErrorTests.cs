using Keel.Core.Errors;

namespace Keel.Data.Tests.Content;

public sealed class SourceErrorTests : ContentFixture
{
    [Fact]
    public async Task A_missing_path_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<KeelException>(() => Store.SnapshotAsync(PathOf("nope.csv")));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("nope.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_directory_is_refused()
    {
        Directory.CreateDirectory(PathOf("empty/sub"));
        var error = await Assert.ThrowsAsync<KeelException>(() => Store.SnapshotAsync(PathOf("empty")));
        Assert.Contains("contains no files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_tree_is_refused_naming_it_and_nothing_is_stored()
    {
        Write("outside/secret.txt", "s"u8.ToArray());
        Write("tree/a.txt", "a"u8.ToArray());
        File.CreateSymbolicLink(PathOf("tree/link.txt"), PathOf("outside/secret.txt"));

        var error = await Assert.ThrowsAsync<KeelException>(() => Store.SnapshotAsync(PathOf("tree")));

        Assert.Contains("link.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("artifacts/datasets")));
    }

    [Fact]
    public async Task A_linked_directory_inside_the_tree_is_refused_too()
    {
        Write("outside/secret.txt", "s"u8.ToArray());
        Write("tree/a.txt", "a"u8.ToArray());
        Directory.CreateSymbolicLink(PathOf("tree/linked"), PathOf("outside"));

        var error = await Assert.ThrowsAsync<KeelException>(() => Store.SnapshotAsync(PathOf("tree")));
        Assert.Contains("linked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_path_given_may_itself_be_a_link()
    {
        Write("real/a.txt", "a"u8.ToArray());
        Directory.CreateSymbolicLink(PathOf("data"), PathOf("real"));

        var viaLink = await Store.SnapshotAsync(PathOf("data"));
        var direct = await Store.SnapshotAsync(PathOf("real"));

        Assert.Equal(direct.Digest, viaLink.Digest);
    }
}
