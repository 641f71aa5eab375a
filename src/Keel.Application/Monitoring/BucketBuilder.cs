using System.Globalization;
using System.Text.Json;
using Keel.Compute.Serving;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;

namespace Keel.Application.Monitoring;

/// <summary>
/// Folds the prediction log records of one bucket into a <see cref="BucketSketch"/> (binned on each
/// version's reference) and the index of predictions that delayed labels join to. One pass, no
/// raw rows kept.
/// </summary>
internal sealed class BucketBuilder
{
    private readonly Func<string, MonitoringReference> _referenceFor;
    private readonly BucketSketch _sketch = new();
    private readonly Dictionary<string, LoggedPrediction> _predictions = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _start;
    private readonly IReadOnlySet<string>? _sensitive;

    /// <param name="start">The bucket's start.</param>
    /// <param name="referenceFor">The reference of a model version (<c>name/version</c>).</param>
    /// <param name="sensitive">Columns the endpoint logs masked, hashed or not at all: their logged values are not comparable with the reference, so they get no drift.</param>
    public BucketBuilder(DateTimeOffset start, Func<string, MonitoringReference> referenceFor, IReadOnlySet<string>? sensitive = null)
    {
        _start = start;
        _referenceFor = referenceFor;
        _sensitive = sensitive;
    }


    public long Requests { get; private set; }

    public void Add(PredictionLogRecord record)
    {
        Requests++;
        if (!_sketch.Versions.TryGetValue(record.Version, out var version))
        {
            var reference = _referenceFor(record.Version);
            version = new VersionSketch { Reference = reference.Source };
            foreach (var (name, column) in reference.Features)
            {
                if (_sensitive?.Contains(name) == true)
                {
                    continue;
                }

                version.Features[name] = column.NewSketch();
            }

            if (reference.Target is { } target)
            {
                version.Prediction = target.NewSketch();
            }
            else if (reference.Model.IsClassifier)
            {
                version.Prediction = FeatureSketch.NewCategorical();
            }

            _sketch.Versions[record.Version] = version;
        }

        version.Role = record.Role;
        version.Requests++;
        version.Latency[LatencyBuckets.IndexOf(record.LatencyMicros)]++;
        if (record.Error is not null)
        {
            version.Errors++;
        }

        version.Rows += AddInputs(version, record.Inputs);
        if (record.Outputs is { } outputs && !version.IsShadow)
        {
            AddOutputs(version, record, outputs);
        }
    }

    public (MonitoringBucket Bucket, IReadOnlyList<LoggedPrediction> Predictions) Finish(string endpoint, int seconds, DateTimeOffset computedAt) =>
        (new MonitoringBucket(endpoint, _start, seconds, Requests, _sketch.ToJson(), computedAt), [.. _predictions.Values]);

    private static long AddInputs(VersionSketch version, string inputs)
    {
        long rows = 0;
        try
        {
            using var document = JsonDocument.Parse(inputs);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            foreach (var column in document.RootElement.EnumerateObject())
            {
                var values = column.Value;
                var count = values.ValueKind == JsonValueKind.Array ? values.GetArrayLength() : 1;
                rows = Math.Max(rows, count);
                if (!version.Features.TryGetValue(column.Name, out var sketch))
                {
                    continue;
                }

                if (values.ValueKind == JsonValueKind.Array)
                {
                    foreach (var value in values.EnumerateArray())
                    {
                        Observe(sketch, value);
                    }
                }
                else
                {
                    Observe(sketch, values);
                }
            }
        }
        catch (JsonException)
        {
            // The log's writer produced this text; a torn record is skipped rather than failing the bucket.
        }

        return rows;
    }

    private void AddOutputs(VersionSketch version, PredictionLogRecord record, string outputs)
    {
        try
        {
            using var document = JsonDocument.Parse(outputs);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            // ML.NET packages answer "prediction"; an ONNX model answers its output's name, so a
            // single output is the prediction whatever it is called.
            var prediction = Pick(root, "prediction", "predictions", "PredictedLabel", "Score")
                ?? (root.EnumerateObject().Count() == 1 ? root.EnumerateObject().First().Value : null);
            if (prediction is not { } answer)
            {
                return;
            }

            var rows = answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().Select(Unwrap).ToList() : [Unwrap(answer)];
            if (version.Prediction is { } sketch)
            {
                foreach (var value in rows)
                {
                    Observe(sketch, value);
                }
            }

            var predicted = rows.Count == 1 ? rows[0].GetRawText() : "[" + string.Join(',', rows.Select(r => r.GetRawText())) + "]";
            var scores = Pick(root, "probabilities", "probability")?.GetRawText();
            _predictions[record.RequestId] = new LoggedPrediction(record.RequestId, _start, record.Version, predicted, scores);
        }
        catch (JsonException)
        {
        }
    }

    // A tensor output of shape [-1, 1] logs each row as a one-element array.
    private static JsonElement Unwrap(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 1)
        {
            element = element[0];
        }

        return element;
    }

    private static JsonElement? Pick(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    internal static void Observe(FeatureSketch sketch, JsonElement value)
    {
        value = Unwrap(value);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                sketch.AddMissing();
                break;
            case JsonValueKind.Number when sketch.IsNumeric:
                sketch.AddNumber(value.GetDouble());
                break;
            case JsonValueKind.String when sketch.IsNumeric:
                if (double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    sketch.AddNumber(parsed);
                }
                else
                {
                    sketch.AddMissing();
                }

                break;
            case JsonValueKind.True or JsonValueKind.False when sketch.IsNumeric:
                sketch.AddNumber(value.GetBoolean() ? 1 : 0);
                break;
            case JsonValueKind.String:
                sketch.AddCategory(value.GetString()!);
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                sketch.AddCategory(value.GetRawText());
                break;
            default:
                sketch.AddMissing();
                break;
        }
    }
}
