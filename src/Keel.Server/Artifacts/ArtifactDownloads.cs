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
        var stream = await store.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentTypeOf(name);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(name);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            if (stream.CanSeek)
            {
                response.ContentLength = stream.Length;
            }

            await stream.CopyToAsync(response.Body, 81920, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
