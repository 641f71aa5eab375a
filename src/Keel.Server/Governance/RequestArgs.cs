using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Server.Governance;

/// <summary>
/// A request's arguments as MLflow's auth app reads them to decide: route values, then the query
/// (GET, and DELETE without a JSON body), then the JSON body's top-level fields (POST, PUT, PATCH,
/// DELETE with JSON). The body is buffered so the handler reads it again, and is scanned only as far
/// as the wanted field, not parsed into a document.
/// </summary>
internal sealed class RequestArgs(HttpContext context)
{
    private const int BufferInMemoryBytes = 1024 * 1024;

    private byte[]? _body;

    /// <summary>Every value of <paramref name="name"/> (a JSON array gives one per element); empty when absent.</summary>
    public async ValueTask<IReadOnlyList<string>> ValuesAsync(string name)
    {
        var request = context.Request;
        if (request.RouteValues.TryGetValue(name, out var routeValue) && routeValue?.ToString() is { Length: > 0 } fromRoute)
        {
            return [fromRoute];
        }

        if (request.Query.TryGetValue(name, out var query) && query.Count > 0)
        {
            return [.. query.Where(v => v is not null).Select(v => v!)];
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !IsJson(request.ContentType))
        {
            return [];
        }

        _body ??= await ReadBodyAsync(request).ConfigureAwait(false);
        return Scan(_body, name);
    }

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public async ValueTask<string?> ValueAsync(string name) => (await ValuesAsync(name).ConfigureAwait(false)) is [var first, ..] ? first : null;

    /// <summary>The first value of <paramref name="name"/>, or MLflow's 400 for a missing parameter.</summary>
    public async ValueTask<string> RequiredAsync(string name) =>
        await ValueAsync(name).ConfigureAwait(false) ?? throw KeelException.InvalidParameter(
            $"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';', 2)[0].Trim().EndsWith("json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering(BufferInMemoryBytes);
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        return copy.ToArray();
    }

    private static List<string> Scan(byte[] body, string name)
    {
        var found = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return found;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (!match)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        AddScalar(ref reader, found);
                    }
                }
                else
                {
                    AddScalar(ref reader, found);
                }

                return found;
            }
        }
        catch (JsonException)
        {
            // A malformed body: the handler answers it with its own 400.
        }

        return found;
    }

    private static void AddScalar(ref Utf8JsonReader reader, List<string> found)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                found.Add(reader.GetString()!);
                break;
            case JsonTokenType.Number:
                found.Add(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
                break;
            default:
                reader.Skip();
                break;
        }
    }
}
