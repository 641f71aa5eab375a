using System.Net;

namespace Keel.Client.Internal;

/// <summary>
/// Streams a caller-owned stream as a request body without disposing it (StreamContent would), so
/// the caller keeps ownership and a seekable stream can be rewound and sent again on a retry.
/// </summary>
internal sealed class BorrowedStreamContent : HttpContent
{
    private readonly Stream _source;
    private readonly long _start;

    public BorrowedStreamContent(Stream source)
    {
        _source = source;
        _start = source.CanSeek ? source.Position : 0;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_source.CanSeek)
        {
            _source.Position = _start;
        }

        await _source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _source.CanSeek ? _source.Length - _start : -1;
        return _source.CanSeek;
    }
}
