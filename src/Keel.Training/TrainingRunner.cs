using System.Globalization;
using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.ML;
using Keel.ML.Manifest;
using Keel.ML.Repository;
using Microsoft.ML;
using Microsoft.ML.Data;
using RunStatus = Keel.Core.Tracking.RunStatus;

namespace Keel.Training;

/// <summary>
/// Trains, tunes and evaluates ML.NET models from a <see cref="TrainingSpec"/>, tracked through a
/// <see cref="TrackingService"/>: one parent run holds the best model (packaged under
/// <c>model/</c>), its metrics, explanations, fairness report and model card; each trial is a child
/// run tagged <c>mlflow.parentRunId</c>. The CLI's <c>keel train</c> is a shell over this class.
/// </summary>
public sealed class TrainingRunner
{
    private readonly TrackingService _tracking;
    private readonly IArtifactStore _artifacts;
    private readonly ModelRepository _models;
    private readonly TimeProvider _time;

    /// <param name="tracking">Where runs, params, metrics and tags go.</param>
    /// <param name="artifacts">Where artifacts go (paths <c>&lt;exp&gt;/&lt;run&gt;/artifacts/...</c>).</param>
    /// <param name="models">Logs (and, when the spec names a model, registers) the best model, as the SDK does; over the same stores.</param>
    /// <param name="time">Clock for timestamps.</param>
    public TrainingRunner(TrackingService tracking, IArtifactStore artifacts, ModelRepository models, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(models);
        _tracking = tracking;
        _artifacts = artifacts;
        _models = models;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Runs the search and logs everything; the parent run ends FINISHED (FAILED if an exception escapes).</summary>
    public async Task<TrainingResult> RunAsync(TrainingSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        TrainingSpecParser.Validate(spec);
        var metric = spec.Metric ?? TrainingMetrics.Default(spec.Task);
        progress?.Report(new TrainingProgress("loading", 0, spec.Trials, null, metric, TimeSpan.Zero, null));
        var source = await DataSource.OpenAsync(spec, cancellationToken).ConfigureAwait(false);
        try
        {
            return await TrackedAsync(spec, source, metric, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (source.IsTemporary)
            {
                File.Delete(source.CsvPath);
            }
        }
    }

    private async Task<TrainingResult> TrackedAsync(TrainingSpec spec, DataSource source, string metric, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var experimentId = await RunLogging.ExperimentAsync(_tracking, spec.Experiment, cancellationToken).ConfigureAwait(false);
        var repro = ReproInfo.Capture(Directory.GetCurrentDirectory());
        var parent = await RunLogging.StartParentAsync(_tracking, spec, source, experimentId, metric, repro, cancellationToken).ConfigureAwait(false);
        var runId = parent.Info.RunId;
        try
        {
            var result = await TrainAsync(spec, source, experimentId, parent, metric, repro, progress, cancellationToken).ConfigureAwait(false);
            await _tracking.UpdateRunAsync(runId, RunStatus.Finished.ToWire(), Now, null, CancellationToken.None).ConfigureAwait(false);
            progress?.Report(new TrainingProgress("done", result.Trials.Count, spec.Trials, result.Best.Score, metric, TimeSpan.FromSeconds(result.SearchSeconds), null));
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await _tracking.UpdateRunAsync(runId, RunStatus.Failed.ToWire(), Now, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await _tracking.UpdateRunAsync(runId, RunStatus.Killed.ToWire(), Now, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<TrainingResult> TrainAsync(
        TrainingSpec spec, DataSource source, string experimentId, Run parent, string metric, ReproInfo repro, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var runId = parent.Info.RunId;
        var context = new MLContext(spec.Seed);
        var pipeline = new FeaturePipeline(source);
        progress?.Report(new TrainingProgress("featurizing", 0, spec.Trials, null, metric, TimeSpan.Zero, null));
        var raw = source.Load(context);
        var prepared = pipeline.PrepareLabel(context, raw);
        var splits = await Task.Run(() => DataSplits.Build(context, spec, pipeline, prepared), cancellationToken).ConfigureAwait(false);
        var classNames = spec.Task == TrainingTask.Regression ? [] : source.LabelValues;
        var executor = new TrialExecutor(splits, spec.Task, metric, classNames, spec.Sensitive);
        var families = TrainerCatalog.For(spec.Task, spec.Trainers);
        var parallelism = spec.Parallelism ?? Environment.ProcessorCount;
        var search = new SuccessiveHalvingSearch(executor, new TrialLog(_tracking, experimentId, runId, metric, _time), parallelism, metric);
        var trials = spec.Trials ?? (spec.TimeBudgetSeconds is null ? 20 : null);
        var budget = spec.TimeBudgetSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        await search.RunAsync(i => TrainerCatalog.Draw(spec.Seed, i, families), trials, budget, progress, cancellationToken).ConfigureAwait(false);
        var best = search.Best ?? throw new KeelException("The search completed no trial; raise the time budget or the trial count.");
        var bestSummary = search.Trials.First(t => t.Index == best.Config.Index);

        progress?.Report(new TrainingProgress("evaluating", search.Trials.Count, trials, best.Score, metric, search.Elapsed, null));
        var predictor = best.Model ?? await Task.Run(() => TrialExecutor.Fit(new MLContext(best.Config.Seed), spec.Task, best.Config, 1.0, splits.FullFeaturized), cancellationToken).ConfigureAwait(false);
        var evaluation = EvalSet.Concat(best.FoldSets);
        var metrics = evaluation.Metrics(classNames);
        if (best.FoldSets.Count > 1)
        {
            var perFold = best.FoldSets.Select(f => f.Metrics(classNames)).ToList();
            foreach (var key in perFold[0].Keys.Where(k => !k.StartsWith("class_", StringComparison.Ordinal)))
            {
                var values = perFold.Select(f => f[key]).ToList();
                var mean = values.Average();
                metrics[$"cv_{key}_mean"] = mean;
                metrics[$"cv_{key}_std"] = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            }
        }

        var explainData = splits.Folds[0].Valid;
        var slots = pipeline.SlotMap(splits.FullFeaturized.Schema);
        var importance = Explainer.PermutationImportance(context, predictor, explainData, slots, spec.Task, metric, classNames, spec.Seed);
        string? contributions;
        try
        {
            contributions = Explainer.Contributions(context, predictor, explainData, slots);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            // Per-row contributions are a nice-to-have; a trainer ML.NET cannot explain must not fail the run.
            contributions = null;
        }

        var fairness = FairnessCheck.Reports(evaluation, spec.Sensitive);
        var violations = FairnessCheck.Violations(fairness, spec.FairnessLimits);
        var trialList = search.Trials;
        var trainSeconds = trialList.Sum(t => t.TrainSeconds);
        var overhead = trainSeconds > 0 ? (trialList.Sum(t => t.TotalSeconds) - trainSeconds) / trainSeconds : 0;

        progress?.Report(new TrainingProgress("logging", trialList.Count, trials, best.Score, metric, search.Elapsed, null));
        var report = new TrainingReport
        {
            Spec = spec, Source = source, Splits = splits, Metric = metric, Trials = trialList, Curve = search.Curve, Best = bestSummary,
            Metrics = metrics, Evaluation = evaluation, Importance = importance, Contributions = contributions, Fairness = fairness,
            Violations = violations, Repro = repro, SearchSeconds = search.Elapsed.TotalSeconds,
        };
        var artifactRoot = ArtifactUri.ProxyPathOf(parent.Info.ArtifactUri);
        var work = Directory.CreateTempSubdirectory("keel-train-");
        LoggedModel logged;
        try
        {
            report.WriteFiles(work.FullName);
            await ArtifactTree.UploadAsync(_artifacts, work.FullName, artifactRoot, cancellationToken).ConfigureAwait(false);
            var packaged = new TransformerChain<ITransformer>(splits.Featurizer, predictor);
            var modelDirectory = Path.Combine(work.FullName, "model");
            ModelPackage.SaveMlNet(packaged, source.Load(context).Schema, modelDirectory, new MlNetSaveOptions
            {
                Task = spec.Task.ToString().ToLowerInvariant(),
                LabelColumn = spec.Label,
                LabelValues = classNames.Count > 0 ? classNames : null,
                InputColumns = [.. source.Features.Select(f => f.Name)],
                Keel = new KeelModelInfo
                {
                    TrainingDataset = spec.DatasetVersion?.Uri ?? Path.GetFullPath(spec.Data),
                    TrainingDatasetHash = source.Hash,
                    Metrics = metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value),
                    FeatureImportance = importance,
                },
            });
            if (spec.DatasetVersion?.Profile is { } profile)
            {
                // The training data's profile travels with the model: the reference for drift monitoring.
                await File.WriteAllTextAsync(Path.Combine(modelDirectory, "dataset_profile.json"), profile, cancellationToken).ConfigureAwait(false);
            }

            await RunLogging.LogParentResultsAsync(_tracking, runId, report, trainSeconds, overhead, Now, cancellationToken).ConfigureAwait(false);

            // The SDK's path: upload, log-model history, and registration with the same source form.
            logged = await _models.LogModelAsync(runId, modelDirectory, "model", spec.RegisterAs, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            work.Delete(true);
        }

        string? version = null;
        var status = "none";
        if (logged.Version is { } registered)
        {
            version = registered.Version.ToString(CultureInfo.InvariantCulture);
            status = "registered";
            await _tracking.SetTagAsync(runId, "keel.registration", $"{registered.Name} version {version}", cancellationToken).ConfigureAwait(false);
        }

        return new TrainingResult
        {
            ExperimentId = experimentId, ParentRunId = runId, Metric = metric, Best = bestSummary, Trials = trialList, Metrics = metrics,
            FeatureImportance = importance, FairnessPassed = violations.Count == 0, FairnessViolations = violations, DatasetHash = source.Hash,
            ModelUri = logged.ArtifactUri, RegisteredVersion = version, RegistrationStatus = status, SearchSeconds = search.Elapsed.TotalSeconds,
            TrialOverheadFraction = overhead,
        };
    }
}
