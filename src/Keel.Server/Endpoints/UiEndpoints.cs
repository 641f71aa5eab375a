using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Keel.Server.Endpoints;

/// <summary>
/// The web UI (<c>src/Keel.Ui</c>): <c>/</c> answers its page and <c>/ui/...</c> its modules,
/// styles and vendored libraries. Views live in the URL's fragment (<c>/#/experiments/1</c>), so no
/// UI path can shadow an API route. Files go out Brotli- or gzip-compressed when the browser takes
/// it, with an ETag so a reload revalidates instead of downloading again.
/// </summary>
internal static class UiEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json; charset=utf-8",
    };

    /// <summary>What the UI's page may load: its own files and API, images and frames from the server (artifact previews), inline styles (chart positions).</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

    public static void Map(IEndpointRouteBuilder app, IFileProvider files)
    {
        // Embedded files never change while the server runs, so their encodings are kept; files on disk (KEEL_UI_DIR) are read each time.
        var cache = files is ManifestEmbeddedFileProvider ? new ConcurrentDictionary<string, Encoded>(StringComparer.Ordinal) : null;
        app.MapGet("/", context => ServeAsync(context, files, cache, "index.html")).ExcludeFromDescription();
        app.MapGet("/index.html", context => ServeAsync(context, files, cache, "index.html")).ExcludeFromDescription();
        app.MapGet("/ui/{**path}", context => ServeAsync(context, files, cache, (string?)context.Request.RouteValues["path"] ?? string.Empty)).ExcludeFromDescription();
    }

    private static async Task ServeAsync(HttpContext context, IFileProvider files, ConcurrentDictionary<string, Encoded>? cache, string path)
    {
        var extension = Path.GetExtension(path);
        if (path.Length == 0 || path.Contains("..", StringComparison.Ordinal) || !ContentTypes.TryGetValue(extension, out var contentType))
        {
            await NotFoundAsync(context, path).ConfigureAwait(false);
            return;
        }

        Encoded? encoded = null;
        if (cache is null || !cache.TryGetValue(path, out encoded))
        {
            var file = files.GetFileInfo(path);
            if (!file.Exists || file.IsDirectory)
            {
                await NotFoundAsync(context, path).ConfigureAwait(false);
                return;
            }

            encoded = await Encoded.ReadAsync(file, context.RequestAborted).ConfigureAwait(false);
            cache?.TryAdd(path, encoded);
        }

        var response = context.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = encoded!.ETag;
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.XContentTypeOptions = "nosniff";
        if (extension == ".html")
        {
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers["Referrer-Policy"] = "same-origin";
        }

        if (context.Request.Headers.IfNoneMatch.Contains(encoded.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = contentType;
        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accepted.Contains("br", StringComparison.OrdinalIgnoreCase) ? (encoded.Brotli, "br")
            : accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (encoded.Gzip, "gzip")
            : (encoded.Raw, null);
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task NotFoundAsync(HttpContext context, string path)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"The UI has no file '{path}'.", context.RequestAborted);
    }

    /// <summary>A file and its compressed forms, made once.</summary>
    private sealed record Encoded(byte[] Raw, byte[] Gzip, byte[] Brotli, string ETag)
    {
        public static async Task<Encoded> ReadAsync(IFileInfo file, CancellationToken cancellationToken)
        {
            byte[] raw;
            await using (var stream = file.CreateReadStream())
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                raw = buffer.ToArray();
            }

            return new Encoded(raw, Compress(raw, s => new GZipStream(s, CompressionLevel.SmallestSize)), Compress(raw, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
                new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(raw).AsSpan(0, 12))}\"").ToString());
        }

        private static byte[] Compress(byte[] raw, Func<Stream, Stream> wrap)
        {
            using var output = new MemoryStream();
            using (var compressor = wrap(output))
            {
                compressor.Write(raw);
            }

            return output.ToArray();
        }
    }
}
