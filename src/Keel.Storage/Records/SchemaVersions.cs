using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Storage.Records;

/// <summary>Reads the <c>v</c> of a stored document before its body, so each shape version gets its own reader.</summary>
internal static class SchemaVersions
{
    public static int Of(string json, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("v", out var v)
                && v.TryGetInt32(out var version))
            {
                return version;
            }
        }
        catch (JsonException e)
        {
            throw Corrupt(what, e.Message, e);
        }

        throw Corrupt(what, "it has no schema version", null);
    }

    public static KeelException Newer(string what, int version, int newest) =>
        new(ErrorCode.InternalError, $"A stored {what} has storage schema version {version}; this Keel reads up to {newest}. Upgrade Keel to read it.");

    public static KeelException Corrupt(string what, string detail, Exception? inner) =>
        new(ErrorCode.InternalError, $"A stored {what} cannot be read ({detail}).", inner);
}
