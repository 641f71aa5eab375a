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
/// it, with an ETag.
/// </summary>
/// <remarks>
/// Caching without a build step: <c>index.html</c> (never cached) names every file under
/// <c>/ui/VERSION/</c>, where VERSION is a hash of all the UI's files, and modules import each other
/// by relative paths, so the whole app inherits it. Files under the current version are immutable
/// for a year: a reload costs no request at all, and a new release changes the version, so no
/// browser ever mixes modules of two releases. Unversioned <c>/ui/FILE</c> paths (and files from
/// <c>KEEL_UI_DIR</c>, version <c>dev</c>) are revalidated on every use instead.
/// </remarks>
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
        var embedded = files is ManifestEmbeddedFileProvider;
        var cache = embedded ? new ConcurrentDictionary<string, Encoded>(StringComparer.Ordinal) : null;
        var version = embedded ? VersionOf(files) : "dev";
        app.MapGet("/", context => ServeAsync(context, files, cache, version, "index.html")).ExcludeFromDescription();
        app.MapGet("/index.html", context => ServeAsync(context, files, cache, version, "index.html")).ExcludeFromDescription();
        app.MapGet("/ui/{**path}", context => ServeAsync(context, files, cache, version, (string?)context.Request.RouteValues["path"] ?? string.Empty)).ExcludeFromDescription();
    }

    /// <summary>A hash of every file's path and bytes: it changes whenever any file of the UI does.</summary>
    private static string VersionOf(IFileProvider files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in Walk(files, string.Empty).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(path + "\n"));
            using var stream = files.GetFileInfo(path).CreateReadStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            hash.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 6));
    }

    private static IEnumerable<string> Walk(IFileProvider files, string dir)
    {
        foreach (var entry in files.GetDirectoryContents(dir))
        {
            var path = dir.Length == 0 ? entry.Name : dir + "/" + entry.Name;
            if (!entry.IsDirectory)
            {
                yield return path;
                continue;
            }

            foreach (var inner in Walk(files, path))
            {
                yield return inner;
            }
        }
    }

    private static async Task ServeAsync(HttpContext context, IFileProvider files, ConcurrentDictionary<string, Encoded>? cache, string version, string path)
    {
        // /ui/VERSION/FILE: the current release's file, cacheable for good; an older VERSION (a page
        // loaded before an upgrade) gets today's file, revalidated like an unversioned one.
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var immutable = false;
        if (slash > 0 && IsVersion(path.AsSpan(0, slash)))
        {
            immutable = cache is not null && path.AsSpan(0, slash).SequenceEqual(version);
            path = path[(slash + 1)..];
        }

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

            encoded = await Encoded.ReadAsync(file, path == "index.html" ? "/ui/" + version + "/" : null, context.RequestAborted).ConfigureAwait(false);
            cache?.TryAdd(path, encoded);
        }

        var response = context.Response;
        response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
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

    /// <summary>A version segment: the 12 hex digits of <see cref="VersionOf"/>, or "dev".</summary>
    private static bool IsVersion(ReadOnlySpan<char> segment) =>
        segment.SequenceEqual("dev") || (segment.Length == 12 && !segment.ContainsAnyExcept("0123456789abcdef"));

    private static Task NotFoundAsync(HttpContext context, string path)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"The UI has no file '{path}'.", context.RequestAborted);
    }

    /// <summary>A file and its compressed forms, made once.</summary>
    private sealed record Encoded(byte[] Raw, byte[] Gzip, byte[] Brotli, string ETag)
    {
        /// <param name="file">The file.</param>
        /// <param name="uiRoot">For index.html: the versioned root that replaces <c>/ui/</c> in it.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        public static async Task<Encoded> ReadAsync(IFileInfo file, string? uiRoot, CancellationToken cancellationToken)
        {
            byte[] raw;
            await using (var stream = file.CreateReadStream())
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                raw = buffer.ToArray();
            }

            if (uiRoot is not null)
            {
                raw = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("\"/ui/", "\"" + uiRoot, StringComparison.Ordinal));
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
