using Keel.Data.Profiling;

namespace Keel.Application.Monitoring;

/// <summary>
/// What a model version's traffic is compared with: the profile of the dataset version it was
/// trained on (or the endpoint's explicit reference), split into its input columns and its label
/// column (the reference for prediction drift), plus what the quality metrics need to know.
/// </summary>
/// <param name="Source">The reference dataset version, <c>datasets:/NAME/VERSION</c>.</param>
/// <param name="Features">Input columns by name.</param>
/// <param name="Target">The label column, or null when unknown or not profiled.</param>
/// <param name="Model">The model's task and classes.</param>
internal sealed record MonitoringReference(string? Source, IReadOnlyDictionary<string, ColumnReference> Features, ColumnReference? Target, ModelFacts Model)
{
    /// <summary>A reference with no columns: traffic, errors, latency and quality are still watched.</summary>
    public static MonitoringReference Empty(ModelFacts model) => new(null, new Dictionary<string, ColumnReference>(), null, model);

    public static MonitoringReference From(string source, TableProfile profile, ModelFacts model)
    {
        var features = new Dictionary<string, ColumnReference>(StringComparer.Ordinal);
        ColumnReference? target = null;
        foreach (var column in profile.Columns)
        {
            if (ColumnReference.From(column) is not { } reference)
            {
                continue;
            }

            if (column.Name == model.LabelColumn)
            {
                // Classifier predictions are classes even when the label column holds numbers.
                target = model.IsClassifier && reference.Kind == FeatureSketch.Numeric ? null : reference;
                if (model.IsClassifier && column.TopValues is { Count: > 0 } && reference.Kind == FeatureSketch.Numeric)
                {
                    target = reference with
                    {
                        Kind = FeatureSketch.Categorical,
                        Categories = column.TopValues.ToDictionary(v => ColumnReference.CategoryText(v.Value), v => v.Count, StringComparer.Ordinal),
                        Edges = null,
                        Counts = null,
                    };
                }

                continue;
            }

            features[column.Name] = reference;
        }

        return new MonitoringReference(source, features, target, model);
    }
}
