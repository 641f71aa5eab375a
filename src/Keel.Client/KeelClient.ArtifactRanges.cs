using System.Net;
using System.Net.Http.Headers;
using Keel.Client.Internal;
using Keel.Core.Artifacts;
using Keel.Core.IO;

namespace Keel.Client;

// Ranged reads over the mlflow-artifacts proxy: an HTTP Range request, answered 206 (the slice),
// 416 (past the end) or 200 by a server that ignores ranges (then the client skips to the slice).
public sealed partial class KeelClient
{
    /// <inheritdoc/>
    public async Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default)
    {
        var url = ArtifactUrl(path);
        var header = range.ToHeaderValue();
        var response = await _transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (header is not null)
                {
                    request.Headers.Range = RangeHeaderValue.Parse(header);
                }

                return request;
            },
            retry: true,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken).ConfigureAwait(false);
        try
        {
            var contentRange = response.Content.Headers.ContentRange;
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                var size = contentRange?.Length ?? throw new InvalidDataException($"The server answered 416 for {url} without the file's size.");
                response.Dispose();
                return ArtifactSlice.Unsatisfiable(size);
            }

            var stream = new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            if (response.StatusCode == HttpStatusCode.PartialContent && contentRange is { From: { } from, To: { } to, Length: { } total })
            {
                return new ArtifactSlice(stream, from, to - from + 1, total);
            }

            var length = response.Content.Headers.ContentLength ?? throw new InvalidDataException($"The server sent {url} without a Content-Length.");
            if (range.Resolve(length) is not { } span)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return ArtifactSlice.Unsatisfiable(length);
            }

            await SubStream.SkipAsync(stream, span.Offset, cancellationToken).ConfigureAwait(false);
            return new ArtifactSlice(span.Length == length ? stream : new SubStream(stream, span.Length), span.Offset, span.Length, length);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
