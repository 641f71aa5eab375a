using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Training;

/// <summary>
/// Explanations of the best model. Global: permutation importance per feature column (not per
/// slot: a one-hot column's slots are shuffled together), measured as the drop of the optimised
/// metric on up to 5,000 held-out rows. Local: ML.NET's feature contributions for the first rows,
/// where the trainer supports them (linear and tree models; not one-versus-all multiclass).
/// </summary>
internal static class Explainer
{
    private const int MaxRows = 5000;
    private const int ContributionRows = 20;

    public static Dictionary<string, double> PermutationImportance(
        MLContext context, ITransformer model, IDataView featurized, IReadOnlyList<(string Column, int Start, int Width)> slots,
        TrainingTask task, string metric, IReadOnlyList<string> classNames, int seed)
    {
        var head = context.Data.TakeRows(featurized, MaxRows);
        var features = Materialize(head);
        var labeled = EvalSet.Read(model.Transform(head), task, classNames.Count, []);
        var baseline = Score(context, model, features, labeled, metric, classNames);
        var lower = TrainingMetrics.LowerIsBetter(metric);
        var random = new Random(seed);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (column, start, width) in slots)
        {
            var order = Enumerable.Range(0, features.Count).ToArray();
            random.Shuffle(order);
            var permuted = new List<float[]>(features.Count);
            for (var i = 0; i < features.Count; i++)
            {
                var row = (float[])features[i].Clone();
                Array.Copy(features[order[i]], start, row, start, width);
                permuted.Add(row);
            }

            var score = Score(context, model, permuted, labeled, metric, classNames);
            result[column] = lower ? score - baseline : baseline - score;
        }

        return result;
    }

    /// <summary>CSV of per-row contributions summed per column, or null when the trainer has no contribution calculator.</summary>
    public static string? Contributions(MLContext context, ITransformer model, IDataView featurized, IReadOnlyList<(string Column, int Start, int Width)> slots)
    {
        var predictor = model is TransformerChain<ITransformer> chain ? chain.First() : model;
        var features = Materialize(context.Data.TakeRows(featurized, ContributionRows));
        var view = ToView(context, features);
        IEstimator<ITransformer>? estimator = predictor switch
        {
            ISingleFeaturePredictionTransformer<Microsoft.ML.Trainers.ICalculateFeatureContribution> direct =>
                context.Transforms.CalculateFeatureContribution(direct, numberOfPositiveContributions: 1000, numberOfNegativeContributions: 1000, normalize: false),
            _ => CalibratedEstimator(context, predictor),
        };
        if (estimator is null)
        {
            return null;
        }

        var scored = estimator.Fit(view).Transform(view);
        var buffers = scored.GetColumn<VBuffer<float>>("FeatureContributions").ToList();
        var text = new StringBuilder("row,").AppendJoin(',', slots.Select(s => Csv(s.Column))).Append('\n');
        for (var r = 0; r < buffers.Count; r++)
        {
            var dense = buffers[r].DenseValues().ToArray();
            text.Append(r.ToString(CultureInfo.InvariantCulture));
            foreach (var (_, start, width) in slots)
            {
                double sum = 0;
                for (var s = start; s < start + width && s < dense.Length; s++)
                {
                    sum += dense[s];
                }

                text.Append(',').Append(sum.ToString("G6", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static IEstimator<ITransformer>? CalibratedEstimator(MLContext context, ITransformer predictor)
    {
        // Calibrated binary predictors are generic over (model, calibrator); ML.NET's overload for them
        // is generic too, so it is bound at run time to the predictor's actual type arguments.
        var modelType = predictor.GetType().GetProperty("Model")?.PropertyType;
        var calibrated = modelType;
        while (calibrated is not null && !(calibrated.IsGenericType && calibrated.GetGenericTypeDefinition() == typeof(Microsoft.ML.Calibrators.CalibratedModelParametersBase<,>)))
        {
            calibrated = calibrated.BaseType;
        }

        if (calibrated is null || !typeof(Microsoft.ML.Trainers.ICalculateFeatureContribution).IsAssignableFrom(calibrated.GetGenericArguments()[0]))
        {
            return null;
        }

        var method = typeof(ExplainabilityCatalog).GetMethods()
            .First(m => m.Name == nameof(ExplainabilityCatalog.CalculateFeatureContribution) && m.IsGenericMethodDefinition)
            .MakeGenericMethod(calibrated.GetGenericArguments());
        return (IEstimator<ITransformer>?)method.Invoke(null, [context.Transforms, predictor, 1000, 1000, false]);
    }

    private static List<float[]> Materialize(IDataView head) =>
        [.. head.GetColumn<VBuffer<float>>(FeaturePipeline.Features).Select(v => v.DenseValues().ToArray())];

    /// <summary>Scores feature rows (no label column) and pairs the predictions with the baseline's labels.</summary>
    private static double Score(MLContext context, ITransformer model, List<float[]> features, EvalSet labels, string metric, IReadOnlyList<string> classNames)
    {
        var scored = model.Transform(ToView(context, features));
        var schema = scored.Schema;
        EvalSet set;
        switch (labels.Task)
        {
            case TrainingTask.Binary:
                var column = schema.GetColumnOrNull("Probability") is not null ? "Probability" : "Score";
                var values = scored.GetColumn<float>(column).Select(v => column == "Probability" ? v : 1 / (1 + Math.Exp(-v))).ToArray();
                set = new EvalSet { Task = labels.Task, Classes = 2, BinaryLabels = labels.BinaryLabels, Probabilities = values };
                break;
            case TrainingTask.Multiclass:
                var probabilities = scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues().Select(f => (double)f)).ToArray();
                set = new EvalSet { Task = labels.Task, Classes = labels.Classes, ClassLabels = labels.ClassLabels, Probabilities = probabilities };
                break;
            default:
                set = new EvalSet { Task = labels.Task, Classes = 0, Actual = labels.Actual, Predicted = [.. scored.GetColumn<float>("Score").Select(v => (double)v)] };
                break;
        }

        return set.Score(metric, classNames);
    }

    private static IDataView ToView(MLContext context, List<float[]> features)
    {
        var width = features.Count == 0 ? 0 : features[0].Length;
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return context.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }), definition);
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
