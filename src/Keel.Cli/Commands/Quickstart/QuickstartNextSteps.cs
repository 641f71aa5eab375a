using Keel.Training;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>The quickstart's closing screen: what to type next.</summary>
internal static class QuickstartNextSteps
{
    /// <summary>Where <c>keel ui</c> (or <c>keel server</c> on its default port) serves the web UI.</summary>
    public const string UiUrl = "http://127.0.0.1:5000/";

    public static void Print(TrainingResult trained, string dataDir, string modelUri, string predictions, string datasetUri)
    {
        var d = dataDir.Contains(' ', StringComparison.Ordinal) ? $"\"{dataDir}\"" : dataDir;
        var lines = new[]
        {
            $"keel data show {datasetUri} --data-dir {d}",
            $"keel lineage {datasetUri} --data-dir {d}",
            $"keel runs list --experiment-id {trained.ExperimentId} --data-dir {d}",
            $"keel runs show {trained.ParentRunId} --data-dir {d}",
            $"keel models show {QuickstartCommand.ModelName} --data-dir {d}",
            $"keel pipelines show {QuickstartLoop.Pipeline} --data-dir {d}",
            $"keel pipelines runs 1 --data-dir {d}        # the retraining the drift alert started",
            $"keel pipelines plan {QuickstartLoop.Pipeline} --data-dir {d}",
            $"keel predict --model {modelUri} --input data/breast_cancer.csv --data-dir {d}",
            $"keel server --data-dir {d}     # then: export MLFLOW_TRACKING_URI=http://127.0.0.1:5000",
            $"keel endpoints show {QuickstartServe.EndpointName} --tracking-uri http://127.0.0.1:5000",
            $"keel ui --data-dir {d}         # the whole loop in a browser: {UiUrl}",
        };
        var panel = new Panel(string.Join('\n', lines.Select(Markup.Escape)))
            .Header("[bold]Next steps[/]")
            .Border(BoxBorder.Rounded);
        AnsiConsole.Write(panel);
        AnsiConsole.MarkupLineInterpolated($"Predictions written to {predictions}. (keel = dotnet run --project src/Keel.Cli --)");
    }
}
