using Keel.Cli.Infrastructure;
using Keel.Training;
using Spectre.Console;

namespace Keel.Cli.Commands.Train;

/// <summary>The table printed after <c>keel train</c>: best trial, held-out metrics, top features, fairness, where it was logged.</summary>
internal static class TrainSummary
{
    public static void Print(TrainingResult r, TrainingSpec spec, string where)
    {
        var trainers = new CliTable(CliColumn.Short("trainer"), CliColumn.Number("trials"), CliColumn.Number("completed"), CliColumn.Number("pruned"), CliColumn.Number("best score")) { Title = "Search" };
        foreach (var g in r.Trials.GroupBy(t => t.Trainer).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var completed = g.Where(t => t.State == "completed").ToList();
            var best = completed.Count == 0 ? "-" : TrainCommand.Score(r.Metric is "rmse" or "mae" or "log_loss" ? completed.Min(t => t.Score) : completed.Max(t => t.Score));
            trainers.AddRow(g.Key, g.Count().ToString(), completed.Count.ToString(), g.Count(t => t.State == "pruned").ToString(), best);
        }

        trainers.Write();
        var metrics = new CliTable(CliColumn.Short("metric"), CliColumn.Number("value")) { Title = "Held-out metrics of the best model" };
        foreach (var (key, value) in r.Metrics.Where(kv => !kv.Key.StartsWith("class_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            metrics.AddRow(Markup.Escape(key), Display.Number(value));
        }

        metrics.Write();
        var features = new CliTable(CliColumn.Short("feature"), CliColumn.Number("importance")) { Title = "Top features (permutation importance)" };
        foreach (var (key, value) in r.FeatureImportance.OrderByDescending(kv => kv.Value).Take(8))
        {
            features.AddRow(Markup.Escape(key), Display.Number(value));
        }

        features.Write();
        AnsiConsole.MarkupLineInterpolated($"Best: [bold]{r.Best.Trainer}[/] (trial {r.Best.Index}), {r.Metric} [bold]{TrainCommand.Score(r.Best.Score)}[/]; {r.Trials.Count} trials in {r.SearchSeconds:F1}s, trial overhead {r.TrialOverheadFraction:P1} of training time.");
        AnsiConsole.MarkupLineInterpolated($"Parent run [bold]{r.ParentRunId}[/] in experiment {r.ExperimentId} ({where}); model at {r.ModelUri}");
        AnsiConsole.MarkupLineInterpolated($"Dataset hash {r.DatasetHash}");
        if (spec.Sensitive.Count > 0)
        {
            if (r.FairnessPassed)
            {
                AnsiConsole.MarkupLine("[green]Fairness check passed.[/]");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Fairness check failed: {string.Join("; ", r.FairnessViolations)}[/]");
            }
        }

        if (r.RegistrationStatus == "registered")
        {
            AnsiConsole.MarkupLineInterpolated($"Registered as '{spec.RegisterAs}' version {r.RegisteredVersion} (source {r.ModelUri}).");
        }
    }
}
