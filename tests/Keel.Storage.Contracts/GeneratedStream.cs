using System.Security.Cryptography;

namespace Keel.Storage.Contracts;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> pseudo-random bytes generated on the fly from a
/// seed: a large file for the contract without holding it in memory or on disk, of unknown length to
/// the store (as a request body streamed by a client is). The same seed gives the same bytes.
/// </summary>
public sealed class GeneratedStream(long length, ulong seed = 0x9E3779B97F4A7C15, long failAfter = -1) : Stream
{
    private ulong _state = seed | 1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of the bytes a stream with these arguments produces.</summary>
    public static byte[] Sha256(long length, ulong seed = 0x9E3779B97F4A7C15)
    {
        using var stream = new GeneratedStream(length, seed);
        return SHA256.HashData(stream);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfter >= 0 && _position >= failAfter)
        {
            throw new IOException("The generated stream failed on purpose (a client that went away mid-upload).");
        }

        var limit = failAfter >= 0 ? Math.Min(length, failAfter) : length;
        var count = (int)Math.Min(buffer.Length, limit - _position);
        for (var i = 0; i < count; i++)
        {
            // xorshift64*: cheap, deterministic, and not compressible, so no layer can shortcut it.
            _state ^= _state >> 12;
            _state ^= _state << 25;
            _state ^= _state >> 27;
            buffer[i] = (byte)((_state * 0x2545F4914F6CDD1DUL) >> 56);
        }

        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
