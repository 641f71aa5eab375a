using System.Net.Http.Headers;
using Keel.Client.Internal;
using Keel.Core.Artifacts;
using Keel.Core.Wire;

namespace Keel.Client;

// IArtifactStore over the mlflow-artifacts proxy. Paths are the proxy's: "<exp>/<run>/artifacts/...".
public sealed partial class KeelClient
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    /// <inheritdoc/>
    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var url = ArtifactUrl(path);
        using var response = await _transport.SendAsync(
            () =>
            {
                var body = new BorrowedStreamContent(content);
                body.Headers.ContentType = OctetStream;
                return new HttpRequestMessage(HttpMethod.Put, url) { Content = body };
            },
            // A PUT replaces the whole file, so it may be repeated, but only if the body can be replayed.
            retry: content.CanSeek,
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var url = ArtifactUrl(path);
        // Headers only: the body is streamed to the caller, never buffered here.
        var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), retry: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default)
    {
        // The one path rule, before the request: a '..' would otherwise be resolved away by the URL itself.
        var clean = ArtifactPath.Normalize(path);
        var response = await _transport.GetJsonAsync(
            ArtifactsApi,
            [new("path", clean.Length == 0 ? null : clean)],
            WireJson.Default.ListArtifactsResponse,
            cancellationToken).ConfigureAwait(false);
        return response.Files?.Select(f => new ArtifactEntry(f.Path ?? string.Empty, f.IsDir ?? false, f.IsDir == true ? null : f.FileSize)).ToList() ?? [];
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var url = ArtifactUrl(path);
        using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, url), retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private string ArtifactUrl(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return $"{_transport.BaseUrl}{ArtifactsApi}/{ProxyPaths.EscapePath(GuardedArtifactStore.FilePath(path))}";
    }
}
