using Amazon.S3.Model;

namespace Keel.Artifacts.S3;

/// <summary>
/// The body of a GetObject response, streamed as it arrives (never buffered), limited to the bytes
/// wanted. Disposing it releases the HTTP response; a failure while reading becomes a Keel error.
/// </summary>
internal sealed class S3ObjectStream(GetObjectResponse response, long length, string location) : Stream
{
    private readonly Stream _body = response.ResponseStream;
    private long _remaining = length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = _body.Read(buffer[..Limit(buffer.Length)]);
            _remaining -= read;
            return read;
        }
        catch (Exception e)
        {
            throw S3Errors.Translate(e, "read", location, CancellationToken.None);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _body.ReadAsync(buffer[..Limit(buffer.Length)], cancellationToken).ConfigureAwait(false);
            _remaining -= read;
            return read;
        }
        catch (Exception e)
        {
            throw S3Errors.Translate(e, "read", location, cancellationToken);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Releases the connection; a body not read to the end is aborted, not drained.
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Limit(int wanted) => (int)Math.Min(wanted, _remaining);
}
