using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// <c>keel quickstart</c>: logs a small, realistic experiment to the embedded store so a new user has
/// something to list, show, compare and browse within seconds. Re-running adds runs to the same experiment.
/// </summary>
internal static class QuickstartCommand
{
    public const string ExperimentName = "quickstart";

    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the embedded store. Default: KEEL_DATA_DIR, else ~/.keel." };
        var command = new Command("quickstart", "Log a sample experiment to the embedded store and show how to browse it.") { dataDir };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            // Always the embedded store: the quickstart must work before any server exists.
            await using var session = StoreSession.Open(trackingUri: null, dataDir: dir);
            var experimentId = await GetOrCreateExperimentAsync(session, cancellationToken).ConfigureAwait(false);
            var results = await LogRunsAsync(session, experimentId, cancellationToken).ConfigureAwait(false);
            QuickstartSummary.Print(experimentId, dir, results);
            return 0;
        });
        return command;
    }

    private static async Task<string> GetOrCreateExperimentAsync(StoreSession session, CancellationToken cancellationToken)
    {
        try
        {
            // Not in TrackingService's list of use cases; a name lookup needs no validation beyond the store's.
            var existing = await session.Tracking.GetExperimentByNameAsync(ExperimentName, cancellationToken).ConfigureAwait(false);
            if (existing.LifecycleStage == LifecycleStage.Deleted)
            {
                await session.Tracking.RestoreExperimentAsync(existing.ExperimentId, cancellationToken).ConfigureAwait(false);
            }

            return existing.ExperimentId;
        }
        catch (KeelException ex) when (ex.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            List<Tag> tags = [new("mlflow.note.content", "Sample experiment logged by `keel quickstart`: a learning-rate / depth sweep of a simulated gradient-boosted model.")];
            return await session.Tracking.CreateExperimentAsync(ExperimentName, null, tags, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<QuickstartResult>> LogRunsAsync(StoreSession session, string experimentId, CancellationToken cancellationToken)
    {
        var results = new List<QuickstartResult>();
        var grid = SimulatedTraining.Grid;
        // Runs are dated in the recent past, one after another, as if the sweep had just run.
        var clock = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (grid.Count * (SimulatedTraining.Epochs + 5) * 1000L);
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = grid.Select(g => ctx.AddTask(g.Name, maxValue: 5)).ToList();
                for (var i = 0; i < grid.Count; i++)
                {
                    results.Add(await LogRunAsync(session, experimentId, grid[i], clock, tasks[i], cancellationToken).ConfigureAwait(false));
                    clock += (SimulatedTraining.Epochs + 5) * 1000L;
                }
            }).ConfigureAwait(false);
        return results;
    }

    private static async Task<QuickstartResult> LogRunAsync(StoreSession session, string experimentId, SimulatedTraining config, long start, ProgressTask progress, CancellationToken cancellationToken)
    {
        List<Tag> tags =
        [
            new("mlflow.source.type", "LOCAL"),
            new("mlflow.source.name", "keel quickstart"),
            new("mlflow.user", Environment.UserName),
            new("model_family", "gradient_boosted_trees"),
        ];
        var run = await session.Tracking.CreateRunAsync(experimentId, Environment.UserName, config.Name, start, tags, cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        var invariant = CultureInfo.InvariantCulture;
        List<Param> parameters =
        [
            new("learning_rate", config.LearningRate.ToString(invariant)),
            new("max_depth", config.MaxDepth.ToString(invariant)),
            new("epochs", SimulatedTraining.Epochs.ToString(invariant)),
            new("seed", config.Seed.ToString(invariant)),
        ];
        var curves = config.Curves(start);
        await session.Tracking.LogBatchAsync(run.Info.RunId, curves, parameters, [new Tag("quickstart", "true")], cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        var dataset = new Dataset("iris-train", "a1b2c3d4", "local", "keel://samples/iris.csv", """{"mlflow_colspec": [{"name": "sepal_length", "type": "double"}]}""", """{"num_rows": 120}""");
        await session.Tracking.LogInputsAsync(run.Info.RunId, [new DatasetInput(dataset, [new Tag("mlflow.data.context", "training")])], cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        await QuickstartArtifacts.WriteAsync(session.Artifacts, run, config, curves, cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        await session.Tracking.UpdateRunAsync(run.Info.RunId, RunStatus.Finished.ToWire(), start + ((SimulatedTraining.Epochs + 1) * 1000L), null, cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        return new QuickstartResult(run.Info.RunId, config, curves);
    }
}
