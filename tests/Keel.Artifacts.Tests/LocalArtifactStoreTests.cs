using System.Text;
using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Artifacts.Tests;

public sealed class LocalArtifactStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "keel-artifacts-" + Guid.NewGuid().ToString("N"));
    private readonly LocalArtifactStore _store;

    public LocalArtifactStoreTests()
    {
        _store = new LocalArtifactStore(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\b.txt")]
    [InlineData("a\0b")]
    [InlineData("C:/windows/x")]
    [InlineData("%2e%2e/outside.txt")]
    [InlineData("a/%252e%252e/%252e%252e/outside.txt")]
    [InlineData("a#b")]
    [InlineData(".keel-staging/x.part")]
    public async Task Paths_that_could_escape_the_root_are_rejected(string path)
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => _store.WriteAsync(path, Content("x")));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        await Assert.ThrowsAsync<KeelException>(() => _store.OpenReadAsync(path));
        await Assert.ThrowsAsync<KeelException>(() => _store.ListAsync(path));
        await Assert.ThrowsAsync<KeelException>(() => _store.DeleteAsync(path));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "outside.txt")));
    }

    [Fact]
    public async Task Overwrite_replaces_the_whole_file_and_leaves_no_temp_file()
    {
        await _store.WriteAsync("1/r/artifacts/a.txt", Content("first version, long"));
        await _store.WriteAsync("1/r/artifacts/a.txt", Content("second"));

        Assert.Equal("second", await ReadAsync("1/r/artifacts/a.txt"));
        Assert.Equal(["a.txt"], Directory.GetFiles(Path.Combine(_root, "1", "r", "artifacts")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_write_keeps_the_old_file()
    {
        await _store.WriteAsync("f.bin", Content("old"));
        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync("f.bin", new FailingStream()));
        Assert.Equal("old", await ReadAsync("f.bin"));
        Assert.Single(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task Listing_gives_sorted_basenames_dirs_without_size()
    {
        await _store.WriteAsync("run/hello.txt", Content("hi"));
        await _store.WriteAsync("run/cfg.json", Content("{\"a\": 1}"));
        await _store.WriteAsync("run/sub/dir/x.txt", Content("x"));

        var entries = await _store.ListAsync("run");
        Assert.Equal(
            [new ArtifactEntry("cfg.json", false, 8), new ArtifactEntry("hello.txt", false, 2), new ArtifactEntry("sub", true, null)],
            entries);
        Assert.Equal([new ArtifactEntry("dir", true, null)], await _store.ListAsync("run/sub"));
        Assert.Equal([new ArtifactEntry("hello.txt", false, 2)], await _store.ListAsync("run/hello.txt"));
        Assert.Empty(await _store.ListAsync("nothing/here"));
        Assert.Equal([new ArtifactEntry("run", true, null)], await _store.ListAsync(null));
    }

    [Fact]
    public async Task Delete_removes_files_and_trees_and_ignores_missing_paths()
    {
        await _store.WriteAsync("run/a.txt", Content("a"));
        await _store.WriteAsync("run/sub/b.txt", Content("b"));

        await _store.DeleteAsync("run/a.txt");
        await _store.DeleteAsync("run/sub");
        await _store.DeleteAsync("run/missing");

        Assert.Empty(await _store.ListAsync("run"));
    }

    [Fact]
    public async Task Reading_a_missing_file_is_not_found()
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => _store.OpenReadAsync("missing.txt"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Theory]
    [InlineData("x.tmp")]
    [InlineData(".x.tmp")]
    [InlineData(".model.bin.0123456789abcdef0123456789abcdef.tmp")]
    [InlineData("weights.part")]
    public async Task Any_name_a_user_picks_is_listed_because_temp_files_never_sit_beside_artifacts(string name)
    {
        await _store.WriteAsync("run/" + name, Content("mine"));

        Assert.Equal([new ArtifactEntry(name, false, 4)], await _store.ListAsync("run"));
        Assert.Equal("mine", await ReadAsync("run/" + name));
    }

    [Fact]
    public async Task Stale_staged_uploads_are_removed_and_live_ones_kept()
    {
        await _store.WriteAsync("a.txt", Content("a"));
        var staging = Path.Combine(_root, LocalArtifactStore.StagingDirectoryName);
        var stale = Path.Combine(staging, "killed.part");
        var live = Path.Combine(staging, "live.part");
        await File.WriteAllTextAsync(stale, "half");
        await File.WriteAllTextAsync(live, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-3));

        Assert.Equal(1, _store.DeleteStaleUploads(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.Equal([new ArtifactEntry("a.txt", false, 1)], await _store.ListAsync(null));
    }

    [Fact]
    public async Task A_store_over_another_directory_stages_elsewhere_and_creates_nothing_until_written()
    {
        var runDir = Path.Combine(_root + "-run", "artifacts");
        var over = _store.Over(runDir);
        Assert.Empty(await over.ListAsync(null));
        Assert.False(Directory.Exists(runDir));

        await over.WriteAsync("notes/n.txt", Content("n"));
        Assert.Equal(["n.txt"], Directory.GetFileSystemEntries(Path.Combine(runDir, "notes")).Select(Path.GetFileName));
        Assert.Equal(["notes"], Directory.GetFileSystemEntries(runDir).Select(Path.GetFileName));
        Directory.Delete(_root + "-run", recursive: true);
    }

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<string> ReadAsync(string path)
    {
        await using var stream = await _store.OpenReadAsync(path);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream()
            : base(new byte[100])
        {
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new IOException("connection reset");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("connection reset");
    }
}
