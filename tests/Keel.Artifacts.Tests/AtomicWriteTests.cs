using System.Text;
using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Artifacts.Tests;

/// <summary>
/// Writes are all or nothing for readers: while an upload is in flight a reader sees the previous
/// file whole (or none), never a prefix of the new one.
/// </summary>
public sealed class AtomicWriteTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("keel-atomic-").FullName;
    private readonly LocalArtifactStore _store;

    public AtomicWriteTests()
    {
        _store = new LocalArtifactStore(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_reader_during_an_overwrite_sees_the_old_file_whole_and_then_the_new_one()
    {
        await _store.WriteAsync("model/MLmodel", new MemoryStream("old manifest"u8.ToArray()));
        var upload = new GatedStream(Encoding.UTF8.GetBytes(new string('n', 100_000)));
        var writing = _store.WriteAsync("model/MLmodel", upload);
        await upload.HalfSent.WaitAsync(Deadline);

        Assert.Equal("old manifest", await ReadAsync("model/MLmodel"));
        Assert.Equal([new ArtifactEntry("MLmodel", false, 12)], await _store.ListAsync("model"));

        upload.Release();
        await writing.WaitAsync(Deadline);
        Assert.Equal(100_000, (await ReadAsync("model/MLmodel")).Length);
        Assert.Equal([new ArtifactEntry("MLmodel", false, 100_000)], await _store.ListAsync("model"));
    }

    [Fact]
    public async Task A_new_file_does_not_exist_until_its_upload_completes()
    {
        var upload = new GatedStream(new byte[10_000]);
        var writing = _store.WriteAsync("run/data.bin", upload);
        await upload.HalfSent.WaitAsync(Deadline);

        var e = await Assert.ThrowsAsync<KeelException>(() => _store.OpenReadAsync("run/data.bin"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Empty(await _store.ListAsync("run"));

        upload.Release();
        await writing.WaitAsync(Deadline);
        Assert.Equal([new ArtifactEntry("data.bin", false, 10_000)], await _store.ListAsync("run"));
    }

    [Fact]
    public async Task A_reader_that_opened_the_old_file_keeps_reading_it_after_an_overwrite()
    {
        await _store.WriteAsync("a.txt", new MemoryStream("first"u8.ToArray()));
        await using var open = await _store.OpenReadAsync("a.txt");
        await _store.WriteAsync("a.txt", new MemoryStream("second, longer"u8.ToArray()));

        using var reader = new StreamReader(open);
        Assert.Equal("first", await reader.ReadToEndAsync());
        Assert.Equal("second, longer", await ReadAsync("a.txt"));
    }

    [Fact]
    public async Task A_write_onto_a_directory_or_under_a_file_is_refused_and_changes_nothing()
    {
        await _store.WriteAsync("run/sub/x.txt", new MemoryStream("x"u8.ToArray()));

        var e = await Assert.ThrowsAsync<KeelException>(() => _store.WriteAsync("run/sub", new MemoryStream("y"u8.ToArray())));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("Invalid path: run/sub", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<KeelException>(() => _store.WriteAsync("run/sub/x.txt/y.txt", new MemoryStream("y"u8.ToArray())));
        Assert.Contains("Invalid path: run/sub/x.txt/y.txt", e.Message, StringComparison.Ordinal);

        Assert.Equal("x", await ReadAsync("run/sub/x.txt"));
        Assert.Equal([new ArtifactEntry("x.txt", false, 1)], await _store.ListAsync("run/sub"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task The_root_is_neither_a_file_to_write_nor_a_tree_to_delete(string? path)
    {
        await Assert.ThrowsAsync<KeelException>(() => _store.WriteAsync(path!, new MemoryStream()));
        await Assert.ThrowsAsync<KeelException>(() => _store.DeleteAsync(path!));
        Assert.True(Directory.Exists(_root));
    }

    private async Task<string> ReadAsync(string path)
    {
        await using var stream = await _store.OpenReadAsync(path);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Sends the first half of its bytes, then waits until released: an upload caught mid-flight.</summary>
    private sealed class GatedStream(byte[] data) : Stream
    {
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task HalfSent => _halfSent.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Release() => _release.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var half = data.Length / 2;
            if (_position >= half)
            {
                _halfSent.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            var end = _position < half ? half : data.Length;
            var n = Math.Min(buffer.Length, end - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
