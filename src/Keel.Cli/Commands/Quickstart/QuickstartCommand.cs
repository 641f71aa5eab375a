using System.CommandLine;
using Keel.Cli.Commands.Train;
using Keel.Cli.Infrastructure;
using Keel.ML.Batch;
using Keel.ML.Repository;
using Keel.ML.Training;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// <c>keel quickstart</c>: Keel's main loop on the embedded defaults, end to end in seconds. It
/// trains and tunes a classifier on the bundled breast-cancer data (tracked: a parent run with a
/// child run per trial, metrics, plots, model card), registers the best model, points the
/// <c>champion</c> alias at it, and scores a file through <c>models:/…@champion</c>. Re-running adds
/// a new run and a new model version.
/// </summary>
internal static class QuickstartCommand
{
    public const string ExperimentName = "quickstart";
    public const string ModelName = "breast-cancer";
    public const string Alias = "champion";

    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the embedded store. Default: KEEL_DATA_DIR, else ~/.keel." };
        var trials = new Option<int>("--trials") { Description = "Trials in the hyperparameter search (fixed count: same data and seed, same result).", DefaultValueFactory = _ => 18 };
        var command = new Command("quickstart", "Train, track, register and score a model on the embedded store, then show how to browse it.") { dataDir, trials };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            // Always the embedded store: the quickstart must work before any server exists.
            await using var session = StoreSession.Open(trackingUri: null, dataDir: dir);
            var data = SampleData.BreastCancer;
            AnsiConsole.Write(new Rule("[bold]1. Train and tune[/] (tracked)").LeftJustified());
            var spec = new TrainingSpec
            {
                Data = data,
                Label = "diagnosis",
                Task = TrainingTask.Binary,
                Trials = result.GetValue(trials),
                Experiment = ExperimentName,
                RegisterAs = ModelName,
                RunName = "quickstart-breast-cancer",
            };
            var repository = new ModelRepository(session.Store, session.RegistryStore, session.Artifacts, Path.Combine(dir, "model-cache"));
            var trained = await TrainProgressView.RunAsync(new TrainingRunner(session.Tracking, session.Artifacts, repository), spec, cancellationToken).ConfigureAwait(false);
            TrainSummary.Print(trained, spec, dir);

            AnsiConsole.Write(new Rule($"[bold]2. Register[/] {ModelName} v{trained.RegisteredVersion} as @{Alias}").LeftJustified());
            await session.Registry.SetAliasAsync(ModelName, Alias, trained.RegisteredVersion, actor: null, cancellationToken).ConfigureAwait(false);
            var modelUri = $"models:/{ModelName}@{Alias}";
            AnsiConsole.MarkupLineInterpolated($"{modelUri} -> version {trained.RegisteredVersion} (source {trained.ModelUri})");

            AnsiConsole.Write(new Rule($"[bold]3. Score[/] a file with {modelUri}").LeftJustified());
            var output = Path.Combine(dir, "quickstart", "predictions.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            var model = await repository.LoadModelAsync(modelUri, cancellationToken).ConfigureAwait(false);
            var rows = await BatchPredictor.PredictFileAsync(model, data, output, BatchFileFormat.Csv, null, cancellationToken).ConfigureAwait(false);
            QuickstartScore.Print(output, rows, "diagnosis");

            QuickstartNextSteps.Print(trained, dir, modelUri, output);
            return 0;
        });
        return command;
    }
}
