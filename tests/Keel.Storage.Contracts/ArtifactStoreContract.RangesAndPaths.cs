using System.Text;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Xunit;

namespace Keel.Storage.Contracts;

// Byte ranges (what the server's HTTP Range support rests on) and path safety.
public abstract partial class ArtifactStoreContract
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    private static readonly string[] UnsafePaths =
    [
        "../escape.txt",
        "a/../../escape.txt",
        "/etc/passwd",
        "a/%2e%2e/%2e%2e/escape.txt",
        "a/%252e%252e/%252e%252e/escape.txt",
        "C:/windows/x",
        "a\\..\\b",
        "a/b#frag",
        "a/\0/b",
    ];

    [ContractFact]
    public async Task Ranges_read_the_bytes_asked_for_clipped_to_the_file()
    {
        await WriteTextAsync("r/digits.txt", Digits);

        Assert.Equal(("0123", 0L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.From(0, 3)));
        Assert.Equal(("abc", 10L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.From(10, 12)));
        Assert.Equal(("xyz", 33L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.From(33)));
        Assert.Equal(("yz", 34L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.From(34, 1000)));
        Assert.Equal(("wxyz", 32L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.Last(4)));
        Assert.Equal((Digits, 0L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.Last(100)));
        Assert.Equal((Digits, 0L, 36L), await ReadRangeAsync("r/digits.txt", ArtifactRange.WholeFile));
    }

    [ContractFact]
    public async Task A_range_past_the_end_is_unsatisfiable_and_tells_the_size()
    {
        await WriteTextAsync("r/digits.txt", Digits);
        await Store.WriteAsync("r/empty", Stream.Null);

        await using (var past = await Store.OpenReadRangeAsync("r/digits.txt", ArtifactRange.From(36)))
        {
            Assert.False(past.IsSatisfiable);
            Assert.Equal(36, past.TotalLength);
        }

        await using (var empty = await Store.OpenReadRangeAsync("r/empty", ArtifactRange.From(0)))
        {
            Assert.False(empty.IsSatisfiable);
            Assert.Equal(0, empty.TotalLength);
        }

        await using var whole = await Store.OpenReadRangeAsync("r/empty", ArtifactRange.WholeFile);
        Assert.True(whole.IsSatisfiable);
        Assert.Equal((0L, 0L), (whole.Length, whole.TotalLength));
    }

    [ContractFact]
    public async Task A_range_deep_in_a_large_file_reads_only_that_part()
    {
        var size = 20L * 1024 * 1024;
        await using (var source = new GeneratedStream(size, seed: 7))
        {
            await Store.WriteAsync("r/big.bin", source);
        }

        var expected = new byte[1000];
        await using (var reference = new GeneratedStream(size, seed: 7))
        {
            await Keel.Core.IO.SubStream.SkipAsync(reference, size - 5000);
            await reference.ReadExactlyAsync(expected);
        }

        await using var slice = await Store.OpenReadRangeAsync("r/big.bin", ArtifactRange.From(size - 5000, size - 4001));
        Assert.Equal((size - 5000, 1000L, size), (slice.Offset, slice.Length, slice.TotalLength));
        using var copy = new MemoryStream();
        await slice.Content.CopyToAsync(copy);
        Assert.Equal(expected, copy.ToArray());
    }

    [ContractFact]
    public async Task Unsafe_paths_are_refused_on_every_operation_and_change_nothing()
    {
        await WriteTextAsync("keep/me.txt", "kept");
        foreach (var path in UnsafePaths)
        {
            await AssertInvalidAsync(() => WriteTextAsync(path, "x"), path);
            await AssertInvalidAsync(() => Store.OpenReadAsync(path), path);
            await AssertInvalidAsync(() => Store.OpenReadRangeAsync(path, ArtifactRange.From(0)), path);
            await AssertInvalidAsync(() => Store.ListAsync(path), path);
            await AssertInvalidAsync(() => Store.DeleteAsync(path), path);
        }

        Assert.Equal([new ArtifactEntry("keep", true, null)], await Store.ListAsync(null));
        Assert.Equal("kept", await ReadTextAsync("keep/me.txt"));
    }

    [ContractFact]
    public async Task The_root_is_not_a_file_and_cannot_be_deleted()
    {
        await WriteTextAsync("keep/me.txt", "kept");

        foreach (var root in new[] { string.Empty, ".", "./" })
        {
            await AssertInvalidAsync(() => WriteTextAsync(root, "x"), root);
            await AssertInvalidAsync(() => Store.OpenReadAsync(root), root);
            await AssertInvalidAsync(() => Store.DeleteAsync(root), root);
        }

        Assert.Equal("kept", await ReadTextAsync("keep/me.txt"));
    }

    [ContractFact]
    public async Task The_backend_itself_refuses_a_path_that_escapes_its_root()
    {
        // Defence in depth: even a caller that skips the guard cannot leave the store's root.
        await AssertInvalidAsync(() => Backend.OpenReadAsync("../../etc/passwd"), "../../etc/passwd");
        using var body = new MemoryStream([1]);
        await AssertInvalidAsync(() => Backend.WriteAsync("a/../../x", body), "a/../../x");
    }

    [ContractFact]
    public virtual async Task A_file_and_a_directory_cannot_share_a_name()
    {
        await WriteTextAsync("x/file", "f");
        await WriteTextAsync("x/dir/child", "c");

        await AssertInvalidAsync(() => WriteTextAsync("x/file/under", "u"), "x/file/under");
        await AssertInvalidAsync(() => WriteTextAsync("x/dir", "d"), "x/dir");
        Assert.Equal("f", await ReadTextAsync("x/file"));
        Assert.Equal("c", await ReadTextAsync("x/dir/child"));
    }

    private static async Task AssertInvalidAsync(Func<Task> action, string path)
    {
        var e = await Assert.ThrowsAsync<KeelException>(action);
        Assert.True(e.Code == ErrorCode.InvalidParameterValue, $"'{path}': {e.Code} {e.Message}");
        Assert.StartsWith(ArtifactPath.InvalidMessage, e.Message, StringComparison.Ordinal);
    }

    private async Task<(string Text, long Offset, long Total)> ReadRangeAsync(string path, ArtifactRange range)
    {
        await using var slice = await Store.OpenReadRangeAsync(path, range);
        Assert.True(slice.IsSatisfiable, range.ToString());
        using var reader = new StreamReader(slice.Content, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        Assert.Equal(slice.Length, Encoding.UTF8.GetByteCount(text));
        return (text, slice.Offset, slice.TotalLength);
    }
}
