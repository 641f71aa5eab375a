using Keel.Core.Artifacts;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Keel.Server.Artifacts;

/// <summary>
/// Sends one artifact file as MLflow's server does: always an attachment (a browser never renders it
/// on the server's origin), <c>X-Content-Type-Options: nosniff</c>, and a content type chosen by the
/// server from the file name alone, whatever the request's Accept header asks for.
/// </summary>
internal static class ArtifactDownloads
{
    // MLflow shows these as text: matched on the extension without its dot, or the whole name of a
    // file without one (MLmodel, mlproject), case-sensitively as MLflow does.
    private static readonly HashSet<string> TextNames = new(StringComparer.Ordinal)
    {
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
        "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "mlproject",
    };

    private static readonly FileExtensionContentTypeProvider Standard = new();

    public static string ContentTypeOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var dot = fileName.LastIndexOf('.');
        var key = dot > 0 ? fileName[(dot + 1)..] : fileName;
        if (TextNames.Contains(key))
        {
            return "text/plain";
        }

        return Standard.TryGetContentType(fileName, out var type) ? type : "application/octet-stream";
    }

    public static async Task SendAsync(HttpContext context, IArtifactStore store, string path)
    {
        var range = RequestedRange(context.Request);
        var slice = await store.OpenReadRangeAsync(path, range ?? ArtifactRange.WholeFile, context.RequestAborted).ConfigureAwait(false);
        await using (slice.ConfigureAwait(false))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var response = context.Response;
            response.Headers.AcceptRanges = "bytes";
            response.Headers.XContentTypeOptions = "nosniff";
            if (!slice.IsSatisfiable)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = new ContentRangeHeaderValue(slice.TotalLength).ToString();
                response.ContentLength = 0;
                return;
            }

            response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            response.ContentType = ContentTypeOf(name);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(name);
            response.Headers.ContentDisposition = disposition.ToString();
            if (range is not null)
            {
                response.Headers.ContentRange = new ContentRangeHeaderValue(slice.Offset, slice.Offset + slice.Length - 1, slice.TotalLength).ToString();
            }

            response.ContentLength = slice.Length;
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return;
            }

            await slice.Content.CopyToAsync(response.Body, 81920, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One byte range from a <c>Range</c> header, or null to send the whole file: no header, a unit
    /// other than bytes, several ranges, an <c>If-Range</c> (there is no validator to compare it with)
    /// or a header that does not parse are all answered with the whole file, as RFC 9110 allows.
    /// </summary>
    private static ArtifactRange? RequestedRange(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        var header = request.Headers.Range;
        if (header.Count != 1 || request.Headers.IfRange.Count > 0
            || !RangeHeaderValue.TryParse(header[0], out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return null;
        }

        var item = parsed.Ranges.First();
        return (item.From, item.To) switch
        {
            ({ } from, var to) when to is null || to >= from => ArtifactRange.From(from, to),
            (null, { } last) when last > 0 => ArtifactRange.Last(last),
            _ => null,
        };
    }
}
