using System.Globalization;
using System.Text.Json;
using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Text;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Keel.ML.Manifest;

namespace Keel.Training;

/// <summary>The parent run's tracking calls: experiment, params, reproducibility tags, dataset input, results, artifacts.</summary>
internal static class RunLogging
{
    public static async Task<string> ExperimentAsync(TrackingService tracking, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Experiment.DefaultId;
        }

        try
        {
            var existing = await tracking.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false);
            if (existing.LifecycleStage == LifecycleStage.Deleted)
            {
                throw KeelException.InvalidParameter($"Field 'experiment': experiment '{name}' is deleted; restore it or choose another name.");
            }

            return existing.ExperimentId;
        }
        catch (KeelException ex) when (ex.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            return await tracking.CreateExperimentAsync(name, null, [], cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<Run> StartParentAsync(TrackingService tracking, TrainingSpec spec, DataSource source, string experimentId, string metric, ReproInfo repro, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        List<Tag> tags =
        [
            new("mlflow.source.name", "keel train"),
            new("mlflow.source.type", "LOCAL"),
            new("mlflow.user", Environment.UserName),
            new("keel.training", "true"),
            new("keel.data.hash", source.Hash),
            new("keel.dotnet.version", repro.Dotnet),
        ];
        if (repro.GitCommit is not null)
        {
            tags.Add(new("mlflow.source.git.commit", repro.GitCommit));
            tags.Add(new("keel.git.dirty", repro.GitDirty == true ? "true" : "false"));
        }

        tags.AddRange(repro.Packages.Select(kv => new Tag($"keel.package.{kv.Key}", kv.Value)));
        var run = await tracking.CreateRunAsync(experimentId, Environment.UserName, spec.RunName ?? $"train-{spec.Label}", null, tags, cancellationToken).ConfigureAwait(false);
        List<Param> parameters =
        [
            new("data", spec.DatasetVersion?.Uri ?? Path.GetFullPath(spec.Data)),
            new("data_hash", source.Hash),
            new("data_rows", source.Rows.ToString(inv)),
            new("label", spec.Label),
            new("task", spec.Task.ToString().ToLowerInvariant()),
            new("metric", metric),
            new("seed", spec.Seed.ToString(inv)),
            new("validation", spec.Validation.Kind switch
            {
                ValidationKind.KFold => $"kfold:{spec.Validation.Folds}",
                ValidationKind.TimeOrdered => string.Create(inv, $"time:{spec.Validation.TimeColumn}:{spec.Validation.Fraction}"),
                _ => string.Create(inv, $"holdout:{spec.Validation.Fraction}"),
            }),
            new("trials", spec.Trials?.ToString(inv) ?? "none"),
            new("time_budget_seconds", spec.TimeBudgetSeconds?.ToString(inv) ?? "none"),
            new("trainers", string.Join(",", TrainerCatalog.For(spec.Task, spec.Trainers))),
            new("features", Truncate(string.Join(",", source.Features.Select(f => $"{f.Name}:{f.Role.ToString().ToLowerInvariant()}")))),
            new("sensitive", string.Join(",", spec.Sensitive)),
        ];
        await tracking.LogBatchAsync(run.Info.RunId, [], parameters, [], cancellationToken).ConfigureAwait(false);
        var schema = JsonSerializer.Serialize(new { mlflow_colspec = source.Columns.Select(c => new { name = c.Name, type = source.IsFloat(c) ? "float" : "string" }) });
        var profile = JsonSerializer.Serialize(new { num_rows = source.Rows });
        var digest = source.Hash[(source.Hash.IndexOf(':') + 1)..];

        // A dataset version is named by its URI and its content digest (the manifest's first 32 hex
        // digits, within MLflow's 36), which is how lineage finds the runs that read it.
        var dataset = spec.DatasetVersion is { } version
            ? new Dataset(version.Name, version.InputDigest, "keel", version.Uri, schema, profile)
            : new Dataset(Path.GetFileNameWithoutExtension(spec.Data), digest, "local", Path.GetFullPath(spec.Data), schema, profile);
        await tracking.LogInputsAsync(run.Info.RunId, [new DatasetInput(dataset, [new Tag("mlflow.data.context", "training")])], cancellationToken).ConfigureAwait(false);
        return run;
    }

    public static async Task LogParentResultsAsync(TrackingService tracking, string runId, TrainingReport report, double trainSeconds, double overhead, long now, CancellationToken cancellationToken)
    {
        var metrics = new List<Metric>();
        foreach (var (key, value) in report.Metrics.Where(kv => double.IsFinite(kv.Value)))
        {
            metrics.Add(new Metric(key, value, now, 0));
        }

        foreach (var (key, value) in report.Importance.Where(kv => double.IsFinite(kv.Value)))
        {
            metrics.Add(new Metric($"importance_{Compute.Metrics.MulticlassMetrics.Sanitize(key)}", value, now, 0));
        }

        foreach (var f in report.Fairness)
        {
            foreach (var (gap, value) in f.Gaps.Where(kv => double.IsFinite(kv.Value)))
            {
                metrics.Add(new Metric($"fairness_{Compute.Metrics.MulticlassMetrics.Sanitize(f.Column)}_{gap}", value, now, 0));
            }
        }

        foreach (var point in report.Curve)
        {
            metrics.Add(new Metric($"search_{report.Metric}", point.Score, now, point.Order));
        }

        metrics.Add(new Metric("best_trial_score", report.Best.Score, now, 0));
        metrics.Add(new Metric("search_trials", report.Trials.Count, now, 0));
        metrics.Add(new Metric("search_trials_completed", report.Trials.Count(t => t.State == "completed"), now, 0));
        metrics.Add(new Metric("search_trials_pruned", report.Trials.Count(t => t.State == "pruned"), now, 0));
        metrics.Add(new Metric("search_seconds", report.SearchSeconds, now, 0));
        metrics.Add(new Metric("search_train_seconds", trainSeconds, now, 0));
        metrics.Add(new Metric("search_overhead_fraction", overhead, now, 0));
        if (report.Fairness.Count > 0)
        {
            metrics.Add(new Metric("fairness_check_passed", report.Violations.Count == 0 ? 1 : 0, now, 0));
        }

        var inv = CultureInfo.InvariantCulture;
        List<Param> parameters =
        [
            new("best_trainer", report.Best.Trainer),
            new("best_trial_index", report.Best.Index.ToString(inv)),
            new("best_trial_run_id", report.Best.RunId),
        ];
        parameters.AddRange(report.Best.Hyperparameters.Select(kv => new Param($"best_{kv.Key}", kv.Value.ToString("R", inv))));
        List<Tag> tags = [new("keel.best_trial_run_id", report.Best.RunId)];
        if (report.Fairness.Count > 0)
        {
            tags.Add(new("keel.fairness.check", report.Violations.Count == 0 ? "passed" : "failed"));
        }

        await tracking.LogBatchAsync(runId, [], parameters, tags, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in metrics.Chunk(RequestLimits.MaxMetricsPerBatch))
        {
            await tracking.LogBatchAsync(runId, chunk, [], [], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Truncate(string value) =>
        CodePoints.Exceeds(value, RequestLimits.MaxParamValueLength) ? CodePoints.Prefix(value, RequestLimits.MaxParamValueLength - 3) + "..." : value;
}
