using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Keel.Core.Wire;

namespace Keel.Application.Features;

/// <summary>Turns an online read into Feast's get-online-features answer (for the CLI; the server writes the same shape straight to the response).</summary>
public static class OnlineFeatureWire
{
    /// <summary>The epoch, Feast's event time of join keys and of values not found.</summary>
    public const string Epoch = "1970-01-01T00:00:00Z";

    /// <summary>The answer: join keys (in the request's order) then features.</summary>
    public static OnlineFeaturesResponse ToResponse(OnlineFeatureResult result, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(entities);
        var names = new List<string>(entities.Keys);
        var vectors = new List<OnlineFeatureVector>();
        foreach (var (_, values) in entities)
        {
            vectors.Add(new OnlineFeatureVector
            {
                Values = [.. values.Select(Element)],
                Statuses = [.. values.Select(_ => "PRESENT")],
                EventTimestamps = [.. values.Select(_ => Epoch)],
            });
        }

        for (var c = 0; c < result.Columns.Count; c++)
        {
            names.Add(result.Columns[c].Name);
            vectors.Add(new OnlineFeatureVector
            {
                Values = [.. result.Values[c].Select(Element)],
                Statuses = [.. result.Statuses[c].Select(OnlineStatusNames.Of)],
                EventTimestamps = [.. result.EventTimestamps[c].Select(Timestamp)],
            });
        }

        return new OnlineFeaturesResponse { Metadata = new OnlineFeaturesMetadata { FeatureNames = names }, Results = vectors };
    }

    /// <summary>An event time as Feast writes it: ISO 8601 UTC, milliseconds only when there are some.</summary>
    public static string Timestamp(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString(unixMs % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Element(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
                case double d: writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity"); break;
                case bool b: writer.WriteBooleanValue(b); break;
                default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
