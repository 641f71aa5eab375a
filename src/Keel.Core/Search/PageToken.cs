using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Core.Search;

/// <summary>
/// The page-token codec, server and SDK alike: MLflow's format, base64 of <c>{"offset": N}</c>, so a
/// token minted by Keel is the one an MLflow server would issue for the same offset and back.
/// </summary>
public static class PageToken
{
    /// <summary>
    /// Builds the token byte-for-byte like Python's <c>json.dumps({"offset": N})</c> (note the space
    /// after the colon), so tokens minted by MLflow and by Keel are interchangeable.
    /// </summary>
    public static string Encode(int offset)
    {
        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A page offset cannot be negative.");
        }

        var json = "{\"offset\": " + offset.ToString(CultureInfo.InvariantCulture) + "}";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The token asking for the page that starts at <paramref name="offset"/>; null for the first page (offset 0).</summary>
    public static string? ForOffset(int offset) => offset == 0 ? null : Encode(offset);

    /// <summary>The token of the page after <paramref name="page"/>, read at <paramref name="offset"/>; null when it was the last.</summary>
    public static string? After<T>(int offset, Tracking.Page<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.HasMore ? Encode(offset + page.Items.Count) : null;
    }

    /// <summary>Returns 0 for a null or empty token; a malformed token raises INVALID_PARAMETER_VALUE.</summary>
    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(token);
        }
        catch (FormatException)
        {
            throw KeelException.InvalidParameter($"Invalid page token, could not base64-decode page_token '{token}'");
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw KeelException.InvalidParameter("Invalid page token, page_token does not decode to UTF-8 text");
        }

        try
        {
            using var document = JsonDocument.Parse(decoded);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("offset", out var offset)
                && offset.ValueKind == JsonValueKind.Number
                && offset.TryGetInt32(out var value))
            {
                return value >= 0
                    ? value
                    : throw KeelException.InvalidParameter($"Invalid page token, offset must be non-negative in page_token, got {value}");
            }
        }
        catch (JsonException)
        {
            throw KeelException.InvalidParameter($"Invalid page token, decoded value={decoded} is not JSON (page_token '{token}')");
        }

        throw KeelException.InvalidParameter($"Invalid page token, parsed value={decoded} has no integer 'offset' (page_token '{token}')");
    }
}
