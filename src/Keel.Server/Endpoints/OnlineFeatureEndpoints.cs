using System.Globalization;
using System.Text.Json;
using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// Online feature reads (POST /api/2.0/keel/features/online) in Feast's get-online-features shape:
/// the request names features or a feature service and gives entity rows as columns; the answer
/// has the join keys then the features, each a column of values, statuses and event times. The
/// TTL rule and every check live in <see cref="OnlineFeatureService"/>.
/// </summary>
internal static class OnlineFeatureEndpoints
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/features", "/ajax-api/2.0/keel/features" })
        {
            app.MapGroup(prefix).WithTags("Features")
                .MapPost("/online", (Delegate)OnlineAsync).Body<OnlineFeaturesRequest>()
                .Describe<OnlineFeaturesResponse>(
                    "Read online features",
                    "Feast's get-online-features: `features` (view:feature) or `feature_service`, `entities` as {join_key: [values...]}, "
                    + "`full_feature_names`. The answer lists the join keys then the features in `metadata.feature_names`, and per name a vector of "
                    + "values, statuses (PRESENT, NOT_FOUND, NULL_VALUE, EXPIRED) and event timestamps. A stored value older than its view's ttl is EXPIRED (null), "
                    + "the same rule as offline retrieval. Unknown views, features or services, missing join keys and lists of different lengths are refused (400) naming the field.",
                    400);
        }
    }

    private static async Task OnlineAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, OnlineFeatureJson.Default.OnlineFeaturesRequest).ConfigureAwait(false);
        var entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Entities ?? [])
        {
            if (values is null)
            {
                throw KeelException.InvalidParameter($"entities.{key} must be a list of values, one per entity row.");
            }

            var column = new object?[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                column[i] = EntityValue(values[i], key, i);
            }

            entities[key] = column;
        }

        var service = context.RequestServices.GetRequiredService<OnlineFeatureService>();
        var result = await service.GetOnlineFeaturesAsync(
            request.Features, request.FeatureService, entities, request.FullFeatureNames ?? false, null, context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            Write(writer, result, entities);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static object? EntityValue(JsonElement value, string key, int index) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw KeelException.InvalidParameter(
            $"entities.{key}[{index.ToString(CultureInfo.InvariantCulture)}] must be a number, a string or a boolean, not {value.ValueKind.ToString().ToLowerInvariant()}."),
    };

    private static void Write(Utf8JsonWriter writer, OnlineFeatureResult result, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata"u8);
        writer.WriteStartArray("feature_names"u8);
        foreach (var key in entities.Keys)
        {
            writer.WriteStringValue(key);
        }

        foreach (var column in result.Columns)
        {
            writer.WriteStringValue(column.Name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("results"u8);
        foreach (var (_, values) in entities)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("values"u8);
            foreach (var value in values)
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("statuses"u8);
            for (var r = 0; r < values.Count; r++)
            {
                writer.WriteStringValue("PRESENT"u8);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps"u8);
            for (var r = 0; r < values.Count; r++)
            {
                writer.WriteStringValue("1970-01-01T00:00:00Z"u8);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        Span<char> buffer = stackalloc char[32];
        for (var c = 0; c < result.Columns.Count; c++)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("values"u8);
            foreach (var value in result.Values[c])
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("statuses"u8);
            foreach (var status in result.Statuses[c])
            {
                writer.WriteStringValue(OnlineStatusNames.Of(status));
            }

            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps"u8);
            foreach (var ms in result.EventTimestamps[c])
            {
                var time = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
                time.TryFormat(buffer, out var written, ms % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                writer.WriteStringValue(buffer[..written]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double d:
                // Protobuf JSON's spelling of non-finite numbers, as Feast's server answers them.
                writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
