using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Keel.Training;

/// <summary>
/// Turns raw columns into the <c>Label</c> and <c>Features</c> columns trainers read. The label
/// step is fitted once and never saved (a served model gets no label); the featurizer is fitted on
/// training rows only and becomes the front of the packaged model. Every feature column keeps a
/// known slot range in <c>Features</c>, so importance and contributions map back to columns.
/// </summary>
internal sealed class FeaturePipeline
{
    public const string Features = "Features";
    public const string Label = "Label";
    private const string LabelIndex = "__label_index";
    private const string Numeric = "__numeric";

    private readonly DataSource _source;

    public FeaturePipeline(DataSource source)
    {
        _source = source;
    }

    /// <summary>Adds <c>Label</c> (bool, key or float by task) and drops rows whose label is missing.</summary>
    public IDataView PrepareLabel(MLContext context, IDataView raw)
    {
        var spec = _source.Spec;
        if (spec.Task == TrainingTask.Regression)
        {
            var copied = context.Transforms.CopyColumns(Label, spec.Label).Fit(raw).Transform(raw);
            return context.Data.FilterRowsByMissingValues(copied, Label);
        }

        // Values map to their index; an empty label maps to NaN and the row is dropped.
        var pairs = _source.LabelValues.Select((v, i) => new KeyValuePair<string, float>(v, i)).Append(new KeyValuePair<string, float>(string.Empty, float.NaN));
        var indexed = context.Transforms.Conversion.MapValue(LabelIndex, pairs, spec.Label).Fit(raw).Transform(raw);
        var filtered = context.Data.FilterRowsByMissingValues(indexed, LabelIndex);
        if (spec.Task == TrainingTask.Binary)
        {
            return context.Transforms.Conversion.ConvertType(Label, LabelIndex, DataKind.Boolean).Fit(filtered).Transform(filtered);
        }

        var keys = context.Data.LoadFromEnumerable(Enumerable.Range(0, _source.LabelValues.Count).Select(i => new KeyRow { Value = i }));
        return context.Transforms.Conversion.MapValueToKey(Label, LabelIndex, keyData: keys).Fit(filtered).Transform(filtered);
    }

    /// <summary>The featurizer: numeric (mean-imputed), one-hot, hashed and text groups, concatenated and min-max scaled.</summary>
    public IEstimator<ITransformer> BuildFeaturizer(MLContext context)
    {
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        var numeric = _source.Features.Where(f => f.Role == ColumnRole.Numeric).Select(f => f.Name).ToArray();
        if (numeric.Length > 0)
        {
            chain = chain.Append(context.Transforms.Concatenate(Numeric, numeric))
                .Append(context.Transforms.ReplaceMissingValues(Numeric, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean));
            parts.Add(Numeric);
        }

        foreach (var f in _source.Features.Where(f => f.Role != ColumnRole.Numeric))
        {
            var output = GroupColumn(f);
            chain = f.Role switch
            {
                ColumnRole.OneHot => chain.Append(context.Transforms.Categorical.OneHotEncoding(output, f.Name)),
                ColumnRole.Hashed => chain.Append(context.Transforms.Categorical.OneHotHashEncoding(output, f.Name, numberOfBits: 10)),
                _ => chain.Append(context.Transforms.Text.FeaturizeText(output, f.Name)),
            };
            parts.Add(output);
        }

        return chain.Append(context.Transforms.Concatenate(Features, [.. parts]))
            .Append(context.Transforms.NormalizeMinMax(Features));
    }

    /// <summary>Each feature column's slot range [start, start+width) in <c>Features</c>.</summary>
    public IReadOnlyList<(string Column, int Start, int Width)> SlotMap(DataViewSchema featurized)
    {
        var map = new List<(string, int, int)>();
        var start = 0;
        var numeric = _source.Features.Where(f => f.Role == ColumnRole.Numeric).ToList();
        foreach (var f in numeric)
        {
            map.Add((f.Name, start++, 1));
        }

        foreach (var f in _source.Features.Where(f => f.Role != ColumnRole.Numeric))
        {
            var width = featurized[GroupColumn(f)].Type is VectorDataViewType v ? v.Size : 1;
            map.Add((f.Name, start, width));
            start += width;
        }

        return map;
    }

    private static string GroupColumn(ColumnProfile f) => "__f." + f.Name;

    private sealed class KeyRow
    {
        public float Value { get; set; }
    }
}
