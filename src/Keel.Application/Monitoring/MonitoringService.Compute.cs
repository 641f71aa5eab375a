using System.Globalization;
using System.Text.Json;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;

namespace Keel.Application.Monitoring;

public sealed partial class MonitoringService
{
    /// <summary>
    /// Computes one bucket of an endpoint from the prediction log and stores it with its prediction
    /// index, replacing an earlier computation (so a retried job is harmless). Returns the requests seen.
    /// </summary>
    public async Task<long> ComputeBucketAsync(IPredictionLogReader log, string endpoint, DateTimeOffset start, int seconds, CancellationToken cancellationToken)
    {
        var settings = await _store.GetSettingsAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var references = new Dictionary<string, MonitoringReference>(StringComparer.Ordinal);
        var sensitive = (await _serving.FindEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false))?.SensitiveColumns;
        var builder = new BucketBuilder(start, v => references[v], sensitive is { Count: > 0 } ? new HashSet<string>(sensitive.Keys, StringComparer.Ordinal) : null);
        await foreach (var record in log.ReadAsync(endpoint, start, start.AddSeconds(seconds), cancellationToken).ConfigureAwait(false))
        {
            if (!references.ContainsKey(record.Version))
            {
                references[record.Version] = await ReferenceAsync(record.Version, settings?.Reference, cancellationToken).ConfigureAwait(false);
            }

            builder.Add(record);
        }

        var (bucket, predictions) = builder.Finish(endpoint, seconds, _time.GetUtcNow());
        await _store.PutBucketAsync(bucket, predictions, cancellationToken).ConfigureAwait(false);
        return bucket.Requests;
    }

    /// <summary>Recomputes the quality of every bucket of the endpoint that has new labels; returns how many.</summary>
    public async Task<int> RefreshQualityAsync(string endpoint, CancellationToken cancellationToken)
    {
        var stale = await _store.StaleQualityBucketsAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var settings = await _store.GetSettingsAsync(endpoint, cancellationToken).ConfigureAwait(false);
        foreach (var start in stale)
        {
            var readAt = _time.GetUtcNow();
            var labeled = await _store.ReadLabeledAsync(endpoint, start, cancellationToken).ConfigureAwait(false);
            var document = new QualityDocument();
            foreach (var row in labeled)
            {
                if (!document.Versions.TryGetValue(row.Version, out var sketch))
                {
                    var reference = await ReferenceAsync(row.Version, settings?.Reference, cancellationToken).ConfigureAwait(false);
                    sketch = new QualitySketch { Task = reference.Model.Task ?? Guess(row) };
                    document.Versions[row.Version] = sketch;
                    document.Classes[row.Version] = [.. reference.Model.LabelValues];
                }

                Score(sketch, document.Classes[row.Version], row);
            }

            await _store.PutQualityAsync(endpoint, start, document.ToJson(), readAt, cancellationToken).ConfigureAwait(false);
        }

        return stale.Count;
    }

    // Without the model's task (a package that does not say), numbers on both sides make a regressor.
    private static string Guess(LabeledPrediction row) =>
        Values(row.Predicted).All(v => v.ValueKind == JsonValueKind.Number) && Values(row.Label).All(v => v.ValueKind == JsonValueKind.Number) ? "regression" : "multiclass";

    private static void Score(QualitySketch sketch, List<string> classes, LabeledPrediction row)
    {
        var predicted = Values(row.Predicted);
        var labels = Values(row.Label);
        var scores = Scores(row.Scores, predicted.Count);
        if (predicted.Count != labels.Count)
        {
            sketch.Unusable += labels.Count;
            return;
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (sketch.IsClassifier)
            {
                sketch.AddClassification(Text(labels[i]), Text(predicted[i]), scores?[i], classes);
            }
            else if (Number(labels[i]) is { } actual && Number(predicted[i]) is { } guess)
            {
                sketch.AddRegression(actual, guess);
            }
            else
            {
                sketch.Unusable++;
            }
        }
    }

    private static List<JsonElement> Values(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        return root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : [root];
    }

    // Probabilities are logged as one vector for a one-row request, or one vector per row.
    private static List<double[]>? Scores(string? json, int rows)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            return null;
        }

        if (root[0].ValueKind == JsonValueKind.Array)
        {
            var vectors = root.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
            return vectors.Count == rows ? vectors : null;
        }

        return rows == 1 ? [root.EnumerateArray().Select(v => v.GetDouble()).ToArray()] : null;
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
