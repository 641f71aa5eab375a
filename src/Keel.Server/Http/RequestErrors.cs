using System.Buffers;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Wire;

namespace Keel.Server.Http;

/// <summary>
/// Explains a JSON body that did not bind to its request type, as MLflow does: the first field of the
/// request's schema that breaks a rule, in MLflow's order and wording ("Invalid value 123 for
/// parameter 'name' supplied. Hint: Value was of type 'int'."); else the value at the path where
/// binding stopped, which MLflow would have let through half-parsed. Only runs on the error path, so
/// reading the body a second time costs nothing on good requests.
/// </summary>
internal static class RequestErrors
{
    /// <summary>The refusal of a body that is JSON but not an object.</summary>
    public const string NotAnObject = "The request body must be a JSON object.";

    private const string ApiDocsHint = " See the API docs for more information about request parameters.";

    /// <param name="bound">The body is well typed (it failed a presence rule only), so type rules are not checked.</param>
    public static KeelException Describe(ReadOnlySequence<byte> body, string? path, RequestSchema? schema, bool bound = false)
    {
        using var document = ParseBody(body);
        if (document is null)
        {
            return Malformed();
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return KeelException.InvalidParameter(NotAnObject);
        }

        if (schema?.FirstError(root, typesChecked: !bound) is { } error)
        {
            return error;
        }

        var field = path is null or "$" ? null : path.TrimStart('$', '.');
        if (field is null)
        {
            return Malformed();
        }

        return TryResolve(root, path!, out var value)
            ? RequestSchema.InvalidValue(field, value)
            : KeelException.InvalidParameter($"Invalid value for parameter '{field}' supplied." + ApiDocsHint);
    }

    /// <summary>The body as a document; a JSON string holding the object (legacy clients) is unwrapped. Null if not JSON.</summary>
    private static JsonDocument? ParseBody(ReadOnlySequence<byte> body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.String)
            {
                return document;
            }

            using (document)
            {
                return JsonDocument.Parse(document.RootElement.GetString()!);
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static KeelException Malformed() => KeelException.InvalidParameter("Malformed JSON in request body.");

    /// <summary>Follows a System.Text.Json error path (<c>$.a[0].b</c>, <c>$['odd name']</c>) to the value it names.</summary>
    private static bool TryResolve(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        var i = 1; // past '$'
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                if (!TryMember(value, path[(i + 1)..end], out value))
                {
                    return false;
                }

                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0 || !TryMember(value, path[(i + 2)..end], out value))
                {
                    return false;
                }

                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || value.ValueKind != JsonValueKind.Array ||
                    !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index) || index < 0 || index >= value.GetArrayLength())
                {
                    return false;
                }

                value = value[index];
                i = end + 1;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryMember(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var found = false;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }
}
