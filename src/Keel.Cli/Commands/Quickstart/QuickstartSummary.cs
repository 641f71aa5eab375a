using System.Globalization;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>The quickstart's closing screen: the ranking, the best run's loss curve and what to type next.</summary>
internal static class QuickstartSummary
{
    public static void Print(string experimentId, string dataDir, IReadOnlyList<QuickstartResult> results)
    {
        var ranked = results.OrderByDescending(r => r.BestAccuracy.Value).ToList();
        var table = new Table().Title($"Experiment [bold]{QuickstartCommand.ExperimentName}[/] (id {experimentId})").Border(TableBorder.Rounded)
            .AddColumns("#", "Run", "learning_rate", "max_depth", "best val_accuracy", "final val_loss", "Run ID");
        for (var i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            var style = i == 0 ? "green bold" : "default";
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                $"[{style}]{Markup.Escape(r.Config.Name)}[/]",
                r.Config.LearningRate.ToString(CultureInfo.InvariantCulture),
                r.Config.MaxDepth.ToString(CultureInfo.InvariantCulture),
                $"[{style}]{r.BestAccuracy.Value:0.0000}[/] (epoch {r.BestAccuracy.Step})",
                r.FinalValLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                r.RunId);
        }

        AnsiConsole.Write(table);

        var best = ranked[0];
        var chart = new BarChart().Width(70).Label($"[bold]{Markup.Escape(best.Config.Name)}[/]: loss by epoch");
        // Every third epoch keeps the chart one screen tall while still showing the curve's shape.
        foreach (var point in best.Series("loss").Where(m => m.Step % 3 == 0))
        {
            chart.AddItem($"epoch {point.Step,2}", Math.Round(point.Value, 3), Color.Blue);
        }

        AnsiConsole.Write(chart);
        AnsiConsole.MarkupLineInterpolated($"val_loss  [blue]{Sparkline.Render(best.Series("val_loss").Select(m => m.Value).ToList(), 30)}[/]");
        AnsiConsole.WriteLine();

        var quotedDir = dataDir.Contains(' ', StringComparison.Ordinal) ? $"\"{dataDir}\"" : dataDir;
        AnsiConsole.MarkupLine("[bold]Next steps[/]");
        AnsiConsole.MarkupLineInterpolated($"  keel runs list --experiment-id {experimentId} --data-dir {quotedDir}");
        AnsiConsole.MarkupLineInterpolated($"  keel runs show {best.RunId} --data-dir {quotedDir}");
        AnsiConsole.MarkupLineInterpolated($"  keel runs compare {string.Join(' ', ranked.Take(2).Select(r => r.RunId))} --data-dir {quotedDir}");
        AnsiConsole.MarkupLineInterpolated($"  keel server --data-dir {quotedDir}");
        AnsiConsole.MarkupLine("  then, from MLflow tools: export MLFLOW_TRACKING_URI=http://127.0.0.1:5000");
    }
}
