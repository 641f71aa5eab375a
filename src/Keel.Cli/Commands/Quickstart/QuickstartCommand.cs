using System.CommandLine;
using Keel.Cli.Commands.Train;
using Keel.Cli.Infrastructure;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Keel.ML.Batch;
using Keel.Hosting;
using Keel.Server;
using Keel.Training;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// <c>keel quickstart</c>: Keel's main loop on the embedded defaults, end to end in seconds. It
/// versions the bundled breast-cancer data as a dataset (profiled, gated by a Great Expectations
/// suite), trains a baseline and a tuned classifier on the bundled breast-cancer data (tracked: a parent run
/// with a child run per trial, metrics, plots, model card) and registers both; serves the baseline on
/// an endpoint and canaries the tuned model into it under live requests until the rollout controller
/// promotes it (or rolls it back, saying why); points the <c>champion</c> alias at the winner; and
/// shows the lineage from the dataset version to the endpoint; and scores a file through
/// <c>models:/…@champion</c>. Re-running adds runs and model versions (the dataset stays at its version).
/// </summary>
internal static class QuickstartCommand
{
    public const string ExperimentName = "quickstart";
    public const string ModelName = "breast-cancer";
    public const string Alias = "champion";
    public const string DatasetName = "breast-cancer";

    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the embedded store. Default: KEEL_DATA_DIR, else ~/.keel." };
        var trials = new Option<int>("--trials") { Description = "Trials in the hyperparameter search (fixed count: same data and seed, same result).", DefaultValueFactory = _ => 18 };
        var command = new Command("quickstart", "Train, track, register and score a model on the embedded store, then show how to browse it.") { dataDir, trials };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            // Always the embedded store: the quickstart must work before any server exists.
            await using var session = await StoreSession.OpenAsync(trackingUri: null, dataDir: dir, throughServer: false, cancellationToken).ConfigureAwait(false);
            var data = SampleData.BreastCancer;
            var runner = new TrainingRunner(session.Tracking, session.Artifacts, session.Models());

            AnsiConsole.Write(new Rule($"[bold]0. Version and validate the data[/] (datasets:/{DatasetName}, gated by a Great Expectations suite)").LeftJustified());
            var (dataset, local) = await QuickstartData.AddAsync(session, data, SampleData.BreastCancerSuite, DatasetName, cancellationToken).ConfigureAwait(false);

            AnsiConsole.Write(new Rule($"[bold]1. Train a baseline[/] on {dataset.Uri} (3 SDCA trials, tracked)").LeftJustified());
            var baseline = await runner.RunAsync(Spec(local, dataset, 3, ["sdca"], "quickstart-baseline"), null, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLineInterpolated($"Baseline {baseline.Best.Trainer}: {baseline.Metric} {TrainCommand.Score(baseline.Best.Score)}; registered {ModelName} v{baseline.RegisteredVersion}.");

            AnsiConsole.Write(new Rule("[bold]2. Train and tune[/] (all trainers, tracked)").LeftJustified());
            var spec = Spec(local, dataset, result.GetValue(trials), [], "quickstart-tuned");
            var trained = await TrainProgressView.RunAsync(runner, spec, cancellationToken).ConfigureAwait(false);
            TrainSummary.Print(trained, spec, dir);

            AnsiConsole.Write(new Rule($"[bold]3. Serve and canary[/] v{trained.RegisteredVersion} against v{baseline.RegisteredVersion}").LeftJustified());
            PipelineRunResponse? loop = null;
            var served = await QuickstartServe.RunAsync(
                dir, $"models:/{ModelName}/{baseline.RegisteredVersion}", $"models:/{ModelName}/{trained.RegisteredVersion}", data, "diagnosis",
                async (client, http, endpoint) =>
                {
                    var promoted = endpoint.Endpoint?.Rollout?.State == RolloutState.Promoted;
                    var champion = promoted ? trained.RegisteredVersion : baseline.RegisteredVersion;
                    AnsiConsole.Write(new Rule($"[bold]4. Alias[/] @{Alias} -> v{champion}").LeftJustified());
                    await session.Registry.SetAliasAsync(ModelName, Alias, champion, actor: null, cancellationToken).ConfigureAwait(false);
                    if (promoted)
                    {
                        AnsiConsole.MarkupLineInterpolated($"The canary promoted v{trained.RegisteredVersion}; models:/{ModelName}@{Alias} now names it.");
                    }
                    else
                    {
                        AnsiConsole.MarkupLineInterpolated($"The canary did not promote v{trained.RegisteredVersion} ({endpoint.Endpoint?.Rollout?.Reason}); models:/{ModelName}@{Alias} stays on the baseline v{champion}.");
                    }

                    AnsiConsole.Write(new Rule("[bold]5. Close the loop[/]: new data, a retraining pipeline waiting on the drift alert").LeftJustified());
                    var holdout = await QuickstartLoop.PrepareAsync(session, client, data, SampleData.BreastCancerSuite, "diagnosis", cancellationToken).ConfigureAwait(false);
                    var since = DateTimeOffset.UtcNow;

                    AnsiConsole.Write(new Rule("[bold]6. Monitor[/] drift, delayed labels and quality per window").LeftJustified());
                    await QuickstartMonitor.RunAsync(client, http, QuickstartServe.EndpointName, data, "diagnosis", cancellationToken).ConfigureAwait(false);

                    AnsiConsole.Write(new Rule("[bold]7. Retrain, gate, canary, promote[/]: started by the alert, no command typed").LeftJustified());
                    loop = await QuickstartLoop.FollowAsync(client, http, QuickstartServe.EndpointName, holdout, "diagnosis", since, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            var modelUri = $"models:/{ModelName}@{Alias}";
            if (loop?.Run?.State != "succeeded")
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]The retraining loop did not complete ({loop?.Run?.State ?? "no run"}{(loop?.Run?.Error is { } why ? $": {why}" : string.Empty)}); keel pipelines runs shows why.[/]");
            }

            AnsiConsole.Write(new Rule($"[bold]8. Lineage[/] from {dataset.Uri} to the endpoint").LeftJustified());
            var graph = await session.Lineage().TraceAsync(dataset.Uri, Keel.Core.Lineage.LineageDirection.Downstream, cancellationToken).ConfigureAwait(false);
            Lineage.LineageCommand.Print(graph);
            var picture = Path.Combine(dir, "quickstart", "lineage.svg");
            Directory.CreateDirectory(Path.GetDirectoryName(picture)!);
            await File.WriteAllTextAsync(picture, Keel.Application.LineageRendering.ToSvg(graph), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLineInterpolated($"Picture: {picture}");

            AnsiConsole.Write(new Rule($"[bold]9. Score[/] a file with {modelUri}").LeftJustified());
            var output = Path.Combine(dir, "quickstart", "predictions.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            var model = await session.Models().LoadModelAsync(modelUri, cancellationToken).ConfigureAwait(false);
            var rows = await BatchPredictor.PredictFileAsync(model, data, output, BatchFileFormat.Csv, null, cancellationToken).ConfigureAwait(false);
            QuickstartScore.Print(output, rows, "diagnosis");

            QuickstartNextSteps.Print(trained, dir, modelUri, output, dataset.Uri);
            return 0;
        });
        return command;
    }

    private static TrainingSpec Spec(string data, Keel.Core.Data.DatasetVersion dataset, int trials, IReadOnlyList<string> trainers, string runName) => new()
    {
        Data = data,
        DatasetVersion = dataset,
        Label = "diagnosis",
        Task = TrainingTask.Binary,
        Trials = trials,
        Trainers = trainers,
        Experiment = ExperimentName,
        RegisterAs = ModelName,
        RunName = runName,
    };
}
