using System.Diagnostics;
using System.Globalization;
using Keel.Training;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Turns a search's progress into a few log lines: one per phase, and trial counts at most every
/// ten seconds while searching (a search of hundreds of trials must not flood the step's log).
/// </summary>
internal sealed class TrainProgressLog(Action<string> log) : IProgress<TrainingProgress>
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private string? _phase;
    private int _trials = -1;

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (value.Phase != _phase)
            {
                _phase = value.Phase;
                _trials = value.TrialsDone;
                Write(value);
                return;
            }

            if (value.TrialsDone != _trials && (_sinceLine.Elapsed >= Every || value.TrialsDone == value.TrialsPlanned))
            {
                _trials = value.TrialsDone;
                Write(value);
            }
        }
    }

    private void Write(TrainingProgress value)
    {
        _sinceLine.Restart();
        var trials = value.TrialsPlanned is { } planned ? $"{value.TrialsDone}/{planned}" : value.TrialsDone.ToString(CultureInfo.InvariantCulture);
        var best = value.BestScore is { } score ? $", best {value.Metric} {score.ToString("G5", CultureInfo.InvariantCulture)}" : string.Empty;
        log($"train: {value.Phase}, trials {trials}{best}");
    }
}
