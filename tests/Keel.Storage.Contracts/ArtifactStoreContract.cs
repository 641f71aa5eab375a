using System.Security.Cryptography;
using System.Text;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IArtifactStore"/> backend signs up to (local files, S3, the HTTP
/// client over a real server): put/get/list/delete on nested paths, overwrite, empty and large files
/// (streamed, checked by hash), byte ranges, unicode and space names, and path safety. Tests go through
/// the store as the application composes it (<see cref="GuardedArtifactStore"/> in front), so the one
/// path rule above the port is checked on every backend too.
/// </summary>
public abstract partial class ArtifactStoreContract : IAsyncLifetime
{
    private IArtifactStore? _backend;

    /// <summary>Size of the large-file test: several S3 parts, with a ragged last one.</summary>
    protected virtual long LargeFileBytes => (64 * 1024 * 1024) + 12345;

    /// <summary>The store as the application sees it.</summary>
    protected IArtifactStore Store => GuardedArtifactStore.Wrap(Backend);

    /// <summary>The backend itself, without the guard.</summary>
    protected IArtifactStore Backend => _backend ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync() => _backend = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync(Backend);

    [ContractFact]
    public async Task A_file_written_at_a_nested_path_reads_back_byte_for_byte()
    {
        await WriteTextAsync("1/run/artifacts/model/MLmodel", "flavors:\n  onnx: {}\n");

        Assert.Equal("flavors:\n  onnx: {}\n", await ReadTextAsync("1/run/artifacts/model/MLmodel"));
        Assert.Equal("flavors:\n  onnx: {}\n", await ReadTextAsync("1//run/./artifacts/model/MLmodel/"));
    }

    [ContractFact]
    public async Task Writing_again_replaces_the_whole_file()
    {
        await WriteTextAsync("a/f.txt", new string('x', 10_000));
        await WriteTextAsync("a/f.txt", "short");

        Assert.Equal("short", await ReadTextAsync("a/f.txt"));
        Assert.Equal(new ArtifactEntry("f.txt", false, 5), Assert.Single(await Store.ListAsync("a")));
    }

    [ContractFact]
    public async Task An_empty_file_is_a_file_of_size_zero()
    {
        await Store.WriteAsync("e/empty.bin", Stream.Null);

        Assert.Equal(string.Empty, await ReadTextAsync("e/empty.bin"));
        Assert.Equal(new ArtifactEntry("empty.bin", false, 0), Assert.Single(await Store.ListAsync("e")));
    }

    [ContractFact]
    public async Task Listing_gives_immediate_children_sorted_with_directories_and_sizes()
    {
        await WriteTextAsync("d/x.txt", "12345");
        await WriteTextAsync("d/sub/y.txt", "y");
        await WriteTextAsync("d/sub/deeper/z.txt", "z");
        await WriteTextAsync("d/a.txt", "a");
        await WriteTextAsync("top.txt", "t");

        Assert.Equal(
            [new ArtifactEntry("a.txt", false, 1), new ArtifactEntry("sub", true, null), new ArtifactEntry("x.txt", false, 5)],
            await Store.ListAsync("d"));
        Assert.Equal([new ArtifactEntry("d", true, null), new ArtifactEntry("top.txt", false, 1)], await Store.ListAsync(null));
        Assert.Equal(await Store.ListAsync(null), await Store.ListAsync(string.Empty));
        Assert.Equal([new ArtifactEntry("deeper", true, null), new ArtifactEntry("y.txt", false, 1)], await Store.ListAsync("d/sub/"));
        Assert.Empty(await Store.ListAsync("missing"));
        Assert.Empty(await Store.ListAsync("d/su"));
    }

    [ContractFact]
    public virtual async Task Listing_a_file_gives_that_file_alone()
    {
        await WriteTextAsync("d/x.txt", "12345");

        Assert.Equal([new ArtifactEntry("x.txt", false, 5)], await Store.ListAsync("d/x.txt"));
    }

    [ContractFact]
    public async Task Listing_a_directory_of_many_files_returns_them_all()
    {
        // More than one page of a paged listing (S3 pages hold 1,000 keys; use fewer where that is slow).
        var count = ManyFilesCount;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var body = new MemoryStream([(byte)i]);
            await Store.WriteAsync($"many/f{i:D5}", body, ct);
        });

        var entries = await Store.ListAsync("many");

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"f{i:D5}"), entries.Select(e => e.Path));
    }

    [ContractFact]
    public async Task Deleting_a_directory_removes_its_tree_and_nothing_beside_it()
    {
        await WriteTextAsync("d/sub/y.txt", "y");
        await WriteTextAsync("d/sub/deeper/z.txt", "z");
        await WriteTextAsync("d/sub2/w.txt", "w");
        await WriteTextAsync("d/sub.txt", "s");

        await Store.DeleteAsync("d/sub");

        Assert.Equal([new ArtifactEntry("sub.txt", false, 1), new ArtifactEntry("sub2", true, null)], await Store.ListAsync("d"));
        await AssertMissingAsync("d/sub/y.txt");
        await AssertMissingAsync("d/sub/deeper/z.txt");
        Assert.Equal("w", await ReadTextAsync("d/sub2/w.txt"));
    }

    [ContractFact]
    public async Task Deleting_a_file_removes_it_and_deleting_nothing_is_not_an_error()
    {
        await WriteTextAsync("d/f.txt", "f");
        await WriteTextAsync("d/g.txt", "g");

        await Store.DeleteAsync("d/f.txt");
        await Store.DeleteAsync("d/f.txt");
        await Store.DeleteAsync("never/there");

        await AssertMissingAsync("d/f.txt");
        Assert.Equal([new ArtifactEntry("g.txt", false, 1)], await Store.ListAsync("d"));
    }

    [ContractFact]
    public async Task Reading_a_missing_file_is_resource_does_not_exist()
    {
        await WriteTextAsync("d/f.txt", "f");

        await AssertMissingAsync("d/nope.txt");
        await AssertMissingAsync("nope/f.txt");
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.OpenReadRangeAsync("d/nope.txt", ArtifactRange.From(0, 9)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }

    [ContractFact]
    public async Task Unicode_and_space_names_round_trip_through_write_list_and_read()
    {
        string[] paths = ["données/été 2024/résumé (1).txt", "with space/a b+c.txt", "日本語/ファイル.bin", "emoji/🙂 ok.txt", "pct/100% sure;x=1.txt"];
        foreach (var path in paths)
        {
            await WriteTextAsync(path, path);
        }

        foreach (var path in paths)
        {
            Assert.Equal(path, await ReadTextAsync(path));
            var slash = path.LastIndexOf('/');
            Assert.Equal(new ArtifactEntry(path[(slash + 1)..], false, Encoding.UTF8.GetByteCount(path)), Assert.Single(await Store.ListAsync(path[..slash])));
        }

        Assert.Equal(["données", "emoji", "pct", "with space", "日本語"], (await Store.ListAsync(null)).Select(e => e.Path));
        Assert.Equal([new ArtifactEntry("été 2024", true, null)], await Store.ListAsync("données"));
    }

    [ContractFact]
    public async Task A_large_file_streams_in_and_out_intact()
    {
        var size = LargeFileBytes;
        await using (var source = new GeneratedStream(size))
        {
            await Store.WriteAsync("big/blob.bin", source);
        }

        Assert.Equal(new ArtifactEntry("blob.bin", false, size), Assert.Single(await Store.ListAsync("big")));
        byte[] actual;
        long read;
        await using (var stream = await Store.OpenReadAsync("big/blob.bin"))
        {
            (actual, read) = await HashAsync(stream);
        }

        Assert.Equal(size, read);
        Assert.Equal(GeneratedStream.Sha256(size), actual);
    }

    [ContractFact]
    public async Task A_write_that_fails_midway_leaves_the_old_file()
    {
        await WriteTextAsync("f/file.bin", "old");

        // Longer than one S3 part, so a multipart upload is started and must be abandoned.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var failing = new GeneratedStream(32L * 1024 * 1024, failAfter: 20L * 1024 * 1024);
            await Store.WriteAsync("f/file.bin", failing);
        });
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var failing = new GeneratedStream(1024, failAfter: 10);
            await Store.WriteAsync("f/new.bin", failing);
        });

        Assert.Equal("old", await ReadTextAsync("f/file.bin"));
        await AssertMissingAsync("f/new.bin");
        Assert.Equal([new ArtifactEntry("file.bin", false, 3)], await Store.ListAsync("f"));
    }

    protected virtual int ManyFilesCount => 1100;

    /// <summary>Returns a fresh, empty store (not guarded: the contract adds the guard).</summary>
    protected abstract Task<IArtifactStore> CreateStoreAsync();

    /// <summary>Removes what the test left and releases the store.</summary>
    protected abstract Task DisposeStoreAsync(IArtifactStore store);

    protected async Task WriteTextAsync(string path, string text)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await Store.WriteAsync(path, body);
    }

    protected async Task<string> ReadTextAsync(string path)
    {
        await using var stream = await Store.OpenReadAsync(path);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    protected async Task AssertMissingAsync(string path)
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.OpenReadAsync(path));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }

    private static async Task<(byte[] Hash, long Bytes)> HashAsync(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (hash.GetHashAndReset(), total);
    }
}
