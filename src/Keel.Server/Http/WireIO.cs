using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Core.Errors;
using Keel.Core.Wire;

namespace Keel.Server.Http;

/// <summary>
/// The one request reader of every route with a JSON body (MLflow's and Keel's APIs, /invocations,
/// V2 infer, GraphQL, gateway-proxy): the content type, the size cap, UTF-8 and the whole body
/// buffered are checked here, then the route's parser binds it (a wire DTO, a JSON object, or a
/// protocol reader such as V2's). Also writes JSON answers with the source-generated wire context,
/// straight from and to the connection's pipes (no intermediate strings). Errors are thrown and
/// written by <see cref="ErrorHandling"/>.
/// </summary>
internal static class WireIO
{
    /// <summary>MLflow's <c>MAX_BATCH_LOG_REQUEST_SIZE</c>.</summary>
    public const long MaxBatchBodyBytes = 1024 * 1024;

    /// <summary>The general cap on JSON bodies (artifact uploads stream and are exempt).</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <param name="schema">MLflow's field checks for this request, used to explain a body that does not bind.</param>
    public static ValueTask<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, RequestSchema? schema = null, long limit = MaxBodyBytes)
        where T : class, new() =>
        ReadBodyAsync(context, body => Parse(body, typeInfo, schema), limit);

    /// <summary>
    /// A body that is one JSON object but no wire DTO (GraphQL, gateway-proxy): refused as every other
    /// body is when it is not UTF-8, not JSON, not an object or followed by more text.
    /// </summary>
    public static ValueTask<T> ReadObjectAsync<T>(HttpContext context, Func<JsonElement, T> bind) =>
        ReadBodyAsync(context, body => ParseObject(body, bind));

    /// <summary>Checks the content type, size cap and UTF-8, buffers the whole body, and hands it to <paramref name="parse"/>.</summary>
    public static async ValueTask<T> ReadBodyAsync<T>(HttpContext context, Func<ReadOnlySequence<byte>, T> parse, long limit = MaxBodyBytes)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            EnsureJsonContentType(request.ContentType);
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge(request.ContentLength.Value, limit);
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                throw TooLarge(buffer.Length, limit);
            }

            if (result.IsCompleted)
            {
                try
                {
                    EnsureUtf8(buffer);
                    return parse(buffer);
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public static Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(response.BodyWriter, value, typeInfo, context.RequestAborted);
    }

    public static Task WriteEmptyAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.ContentLength = EmptyObject.Length;
        return response.Body.WriteAsync(EmptyObject, context.RequestAborted).AsTask();
    }

    internal static void EnsureJsonContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            throw KeelException.InvalidParameter("Bad Request. Content-Type header is missing.");
        }

        var mediaType = contentType is null ? null : contentType.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
        }
    }

    internal static T Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> typeInfo, RequestSchema? schema = null)
        where T : class, new()
    {
        try
        {
            // AllowMultipleValues: the reader stops after the first value, so EnsureEnd, not the
            // serializer, decides about what follows and says so.
            var options = new JsonReaderOptions { AllowMultipleValues = true };
            var probe = new Utf8JsonReader(body, options);
            if (!probe.Read() || probe.TokenType == JsonTokenType.Null)
            {
                EnsureEnd(ref probe);
                return new T();
            }

            // Legacy clients send the body as a JSON string holding the JSON object.
            if (probe.TokenType == JsonTokenType.String)
            {
                var inner = probe.GetString();
                EnsureEnd(ref probe);
                return string.IsNullOrWhiteSpace(inner) ? new T() : JsonSerializer.Deserialize(inner, typeInfo) ?? new T();
            }

            var reader = new Utf8JsonReader(body, options);
            var value = JsonSerializer.Deserialize(ref reader, typeInfo) ?? new T();
            EnsureEnd(ref reader);
            return value;
        }
        catch (Keel.Core.Wire.OutOfRangeNumberException e)
        {
            var field = e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
            throw KeelException.InvalidParameter(
                $"Invalid value {e.RawValue} for parameter '{field}' supplied. {e.Message} See the API docs for more information about request parameters.");
        }
        catch (JsonException e)
        {
            throw RequestErrors.Describe(body, e.Path, schema);
        }
        catch (InvalidOperationException)
        {
            throw RequestErrors.Describe(body, null, schema);
        }
    }

    private static T ParseObject<T>(ReadOnlySequence<byte> body, Func<JsonElement, T> bind)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true });
            document = JsonDocument.ParseValue(ref reader);
            EnsureEnd(ref reader);
        }
        catch (JsonException e)
        {
            throw RequestErrors.Describe(body, e.Path, null);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? bind(document.RootElement)
                : throw KeelException.InvalidParameter(RequestErrors.NotAnObject);
        }
    }

    /// <summary>
    /// A body is one JSON value: text after it (<c>{"name":"x"} xyz</c>, a second object) is refused
    /// rather than ignored, so a request is acted on only as a whole.
    /// </summary>
    internal static void EnsureEnd(ref Utf8JsonReader reader)
    {
        bool more;
        try
        {
            more = reader.Read();
        }
        catch (JsonException)
        {
            more = true;
        }

        if (more)
        {
            throw KeelException.InvalidParameter(TrailingContent);
        }
    }

    /// <summary>JSON text is UTF-8: a body that is not is refused, even where the bad bytes sit in a field nobody reads.</summary>
    internal static void EnsureUtf8(ReadOnlySequence<byte> body)
    {
        var valid = body.IsSingleSegment ? System.Text.Unicode.Utf8.IsValid(body.FirstSpan) : System.Text.Unicode.Utf8.IsValid(body.ToArray());
        if (!valid)
        {
            throw KeelException.InvalidParameter(NotUtf8);
        }
    }

    internal const string NotUtf8 = "Malformed JSON in request body: it is not valid UTF-8.";

    internal const string TrailingContent = "Malformed JSON in request body: unexpected content after the JSON value.";

    // log-batch keeps MLflow's 400 and wording; any other body over its cap is a 413.
    private static KeelException TooLarge(long size, long limit) => limit == MaxBatchBodyBytes
        ? KeelException.InvalidParameter($"Batched logging API requests must be at most {limit} bytes, got a request of size {size}.")
        : new KeelException(ErrorCode.PayloadTooLarge, $"Request body too large: at most {limit} bytes are accepted, got {size}.");
}
