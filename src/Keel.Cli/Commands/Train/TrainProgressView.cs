using Keel.Training;
using Spectre.Console;

namespace Keel.Cli.Commands.Train;

/// <summary>The live view of a search: trials done, best score so far, time left.</summary>
internal static class TrainProgressView
{
    public static async Task<TrainingResult> RunAsync(TrainingRunner runner, TrainingSpec spec, CancellationToken cancellationToken)
    {
        TrainingResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("loading data", maxValue: 1.0);
                var progress = new Progress<TrainingProgress>(p => Update(bar, p, spec));
                result = await runner.RunAsync(spec, progress, cancellationToken).ConfigureAwait(false);
                bar.Value = bar.MaxValue;
                bar.Description = Markup.Escape($"done: {result.Trials.Count} trials, best {result.Metric} {TrainCommand.Score(result.Best.Score)}");
            }).ConfigureAwait(false);
        return result!;
    }

    private static void Update(ProgressTask bar, TrainingProgress p, TrainingSpec spec)
    {
        var best = p.BestScore is { } b ? $"best {p.Metric} {TrainCommand.Score(b)}" : "no full-budget trial yet";
        var left = p.TimeLeft is { } t ? $", {Math.Max(0, t.TotalSeconds):F0}s left" : string.Empty;
        var planned = p.TrialsPlanned is { } n ? $"/{n}" : string.Empty;
        bar.Description = p.Phase == "searching"
            ? Markup.Escape($"trials {p.TrialsDone}{planned} · {best}{left}")
            : Markup.Escape($"{p.Phase}{(p.TrialsDone > 0 ? $" · {p.TrialsDone} trials · {best}" : string.Empty)}");
        if (p.Phase == "searching")
        {
            bar.Value = p.TrialsPlanned is { } total ? Math.Min(1, p.TrialsDone / (double)total)
                : spec.TimeBudgetSeconds is { } seconds ? Math.Min(1, p.Elapsed.TotalSeconds / seconds) : bar.Value;
        }
    }
}
