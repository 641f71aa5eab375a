using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Training;

/// <summary>
/// Fits one configuration on every fold and scores it on the held-out rows. Each call gets its
/// own seeded <see cref="MLContext"/>, so a trial's result depends on its configuration alone and
/// not on which trials run beside it.
/// </summary>
internal sealed class TrialExecutor(DataSplits splits, TrainingTask task, string metric, IReadOnlyList<string> classNames, IReadOnlyList<string> groupColumns)
{
    /// <summary>Held-out rows scored at rungs below the full budget: a ranking needs fewer rows than a final figure.</summary>
    public const int EarlyRungRows = 20_000;

    public TrialOutcome Run(TrialConfig config, int rung, double resource, CancellationToken cancellationToken, bool final = true)
    {
        var context = new MLContext(config.Seed);
        var sets = new List<EvalSet>(splits.Folds.Count);
        ITransformer? model = null;
        double trainSeconds = 0;
        foreach (var (train, valid) in splits.Folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            model = Fit(context, task, config, resource, train);
            trainSeconds += watch.Elapsed.TotalSeconds;
            var scored = final ? valid : context.Data.TakeRows(valid, EarlyRungRows);
            sets.Add(EvalSet.Read(model.Transform(scored), task, classNames.Count, groupColumns));
        }

        var score = sets.Average(s => s.Score(metric, classNames));
        if (double.IsNaN(score))
        {
            // A diverged model must lose, not poison the ordering.
            score = TrainingMetrics.LowerIsBetter(metric) ? double.MaxValue : double.MinValue;
        }

        return new TrialOutcome(config, rung, resource, score, sets, splits.Folds.Count == 1 ? model : null, trainSeconds);
    }

    /// <summary>Fits the trainer (and, for uncalibrated binary trainers, a Platt calibrator on its training scores).</summary>
    public static ITransformer Fit(MLContext context, TrainingTask task, TrialConfig config, double resource, IDataView train)
    {
        var model = TrainerCatalog.Build(context, task, config, resource).Fit(train);
        if (!TrainerCatalog.NeedsCalibration(task, config.Trainer))
        {
            return model;
        }

        var calibrator = context.BinaryClassification.Calibrators.Platt(FeaturePipeline.Label).Fit(model.Transform(train));
        return new TransformerChain<ITransformer>(model, calibrator);
    }
}
