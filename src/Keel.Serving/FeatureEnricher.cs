using Keel.Application.Features;
using Keel.Core.Features;
using Keel.Core.Serving;
using Keel.ML.Data;

namespace Keel.Serving;

/// <summary>
/// Enriches requests through the online feature service in this process: the request's columns are
/// the entity rows (join keys and request fields by name), the features come back under the TTL
/// rule, and each becomes a column: numbers as doubles with NaN where a value is missing, expired or
/// not found (ML.NET's missing value), text as text (null when missing), booleans as booleans
/// (false when missing). A column the request already carries is left as sent.
/// </summary>
public sealed class FeatureEnricher : IFeatureEnricher
{
    private readonly OnlineFeatureService _features;

    /// <param name="features">The online reads.</param>
    public FeatureEnricher(OnlineFeatureService features) => _features = features ?? throw new ArgumentNullException(nameof(features));

    /// <inheritdoc/>
    public async ValueTask<ColumnBatch> EnrichAsync(string endpoint, EndpointFeatures features, ColumnBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(batch);
        var entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var column in batch.Columns)
        {
            if (column.Width == 1 && column.Name.Length > 0)
            {
                entities[column.Name] = Values(column);
            }
        }

        OnlineFeatureResult result;
        try
        {
            result = await _features.GetOnlineFeaturesAsync(features.Features, features.Service, entities, features.FullFeatureNames, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Core.Errors.KeelException e) when (e.HttpStatus is >= 400 and < 500)
        {
            throw Core.Errors.KeelException.InvalidParameter($"Endpoint '{endpoint}' adds features by entity key before scoring, and this request cannot be enriched: {e.Message}");
        }

        var columns = new List<BatchColumn>(batch.Columns);
        for (var c = 0; c < result.Columns.Count; c++)
        {
            var name = result.Columns[c].Name;
            if (batch.Find(name) is null)
            {
                columns.Add(Column(name, result.Columns[c].Dtype, result.Values[c]));
            }
        }

        return new ColumnBatch(columns);
    }

    private static object?[] Values(BatchColumn column)
    {
        var values = new object?[column.RowCount];
        switch (column.Data)
        {
            case long[] longs:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = longs[i];
                }

                break;
            case double[] doubles:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = double.IsNaN(doubles[i]) ? null : doubles[i];
                }

                break;
            case float[] floats:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = float.IsNaN(floats[i]) ? null : (double)floats[i];
                }

                break;
            case string?[] texts:
                Array.Copy(texts, values, values.Length);
                break;
            case bool[] bools:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = bools[i];
                }

                break;
        }

        return values;
    }

    private static BatchColumn Column(string name, FeatureDtype dtype, object?[] values)
    {
        switch (dtype)
        {
            case FeatureDtype.String:
                return BatchColumn.Of(name, values.Select(v => v as string).ToArray());
            case FeatureDtype.Bool:
                return BatchColumn.Of(name, values.Select(v => v is true).ToArray());
            default:
                var numbers = new double[values.Length];
                for (var i = 0; i < numbers.Length; i++)
                {
                    numbers[i] = values[i] switch
                    {
                        long l => l,
                        double d => d,
                        _ => double.NaN,
                    };
                }

                return BatchColumn.Of(name, numbers);
        }
    }
}
