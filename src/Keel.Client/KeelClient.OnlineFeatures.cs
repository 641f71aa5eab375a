using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Keel.Core.Wire;

namespace Keel.Client;

// Online feature reads (POST /api/2.0/keel/features/online), Feast's get-online-features over REST.
public sealed partial class KeelClient
{
    /// <summary>
    /// Reads online features for entity rows given as columns (<c>{"driver_id": [1001, 1002]}</c>),
    /// by <c>view:feature</c> references or a feature service. The answer is Feast's shape: the join
    /// keys then the features in <c>metadata.feature_names</c>, and per name a vector of values,
    /// statuses (PRESENT, NOT_FOUND, NULL_VALUE, EXPIRED) and event timestamps.
    /// </summary>
    /// <param name="features"><c>view:feature</c> references; null when <paramref name="featureService"/> is given.</param>
    /// <param name="featureService">A feature service name, instead of <paramref name="features"/>.</param>
    /// <param name="entities">Join key → one value per entity row (long, int, double, string or bool).</param>
    /// <param name="fullFeatureNames">Name features <c>view__feature</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Keel.Core.Errors.KeelException">INVALID_PARAMETER_VALUE naming the field for an unknown view, feature or service, or a missing join key.</exception>
    public Task<OnlineFeaturesResponse> GetOnlineFeaturesAsync(
        IReadOnlyList<string>? features,
        string? featureService,
        IReadOnlyDictionary<string, IReadOnlyList<object?>> entities,
        bool fullFeatureNames = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var request = new OnlineFeaturesRequest
        {
            Features = features is null ? null : [.. features],
            FeatureService = featureService,
            Entities = entities.ToDictionary(e => e.Key, e => e.Value.Select(ToElement).ToList(), StringComparer.Ordinal),
            FullFeatureNames = fullFeatureNames ? true : null,
        };
        // A read: retried on transient failures.
        return _transport.PostJsonAsync("/api/2.0/keel/features/online", request, OnlineFeatureJson.Default.OnlineFeaturesRequest, OnlineFeatureJson.Default.OnlineFeaturesResponse, retry: true, cancellationToken);
    }

    private static JsonElement ToElement(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case long or int or short or byte or uint or ushort or sbyte:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
