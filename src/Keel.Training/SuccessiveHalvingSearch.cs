using System.Diagnostics;

namespace Keel.Training;

/// <summary>
/// Random search with successive halving. The seeded trial list is cut into brackets of up to
/// nine; within a bracket every trial runs on a ninth of its iteration budget, the best third
/// goes on to a third, the best of those to the full budget, the rest are pruned as hopeless.
/// Decisions in a bracket depend only on that bracket's scores (ties broken by trial index), and
/// each trial's score only on its configuration, so with a trial count the outcome does not depend
/// on scheduling; brackets and trials run in parallel, limited to <c>parallelism</c> fits at once.
/// A time budget stops new work at the deadline (then results depend on the machine's speed).
/// </summary>
internal sealed class SuccessiveHalvingSearch
{
    private const int Eta = 3;
    private const int BracketSize = Eta * Eta;

    private readonly TrialExecutor _executor;
    private readonly TrialLog _log;
    private readonly int _parallelism;
    private readonly string _metric;
    private readonly SemaphoreSlim _fits;
    private readonly Stopwatch _clock = new();
    private readonly Lock _lock = new();
    private readonly List<TrialSummary> _summaries = [];
    private readonly List<(int Order, int Index, double Score)> _curve = [];
    private TimeSpan? _budget;
    private TrialOutcome? _best;
    private int _done;

    public SuccessiveHalvingSearch(TrialExecutor executor, TrialLog log, int parallelism, string metric)
    {
        _executor = executor;
        _log = log;
        _parallelism = parallelism;
        _metric = metric;
        _fits = new SemaphoreSlim(parallelism, parallelism);
    }

    public IReadOnlyList<TrialSummary> Trials => [.. _summaries.OrderBy(s => s.Index)];

    /// <summary>Full-budget scores in the order trials completed (the learning curve of the search).</summary>
    public IReadOnlyList<(int Order, int Index, double Score)> Curve => _curve;

    public TrialOutcome? Best => _best;

    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task RunAsync(Func<int, TrialConfig> draw, int? trials, TimeSpan? budget, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        _budget = budget;
        _clock.Start();
        var total = trials ?? int.MaxValue;
        await Parallel.ForEachAsync(
            Brackets(draw, total),
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (bracket, ct) => await RunBracketAsync(bracket, trials, progress, ct).ConfigureAwait(false)).ConfigureAwait(false);
        _clock.Stop();
    }

    private bool OutOfTime => _budget is { } b && _clock.Elapsed >= b;

    private IEnumerable<List<TrialConfig>> Brackets(Func<int, TrialConfig> draw, int total)
    {
        for (var start = 0; start < total && !OutOfTime; start += BracketSize)
        {
            var count = Math.Min(BracketSize, total - start);
            yield return [.. Enumerable.Range(start, count).Select(draw)];
        }
    }

    private async Task RunBracketAsync(List<TrialConfig> bracket, int? planned, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        // Fewer rungs for small brackets: halving two trials on a ninth of their budget says little.
        var rungs = bracket.Count >= BracketSize ? new[] { 1.0 / 9, 1.0 / 3, 1.0 } : bracket.Count >= Eta ? [1.0 / 3, 1.0] : [1.0];
        var alive = bracket.Select(c => (Config: c, RunId: (Task<string>?)null, Train: 0.0, Total: 0.0, Last: (TrialOutcome?)null)).ToList();
        for (var r = 0; r < rungs.Length && alive.Count > 0; r++)
        {
            var rung = r;
            var final = rung == rungs.Length - 1;
            var results = await Task.WhenAll(alive.Select(a => RunJobAsync(a.Config, a.RunId, rung, rungs[rung], final, cancellationToken))).ConfigureAwait(false);
            var next = new List<(TrialConfig Config, Task<string>? RunId, double Train, double Total, TrialOutcome? Last)>();
            for (var i = 0; i < alive.Count; i++)
            {
                var (runId, outcome, seconds) = results[i];
                alive[i] = (alive[i].Config, runId ?? alive[i].RunId, alive[i].Train + (outcome?.TrainSeconds ?? 0), alive[i].Total + seconds, outcome ?? alive[i].Last);
            }

            var ran = alive.Where((_, i) => results[i].Outcome is not null).ToList();
            foreach (var stopped in alive.Where((_, i) => results[i].Outcome is null))
            {
                await FinishAsync(stopped, "stopped", planned, progress, cancellationToken).ConfigureAwait(false);
            }

            if (rung == rungs.Length - 1)
            {
                foreach (var done in ran)
                {
                    Complete(done.Last!);
                    await FinishAsync(done, "completed", planned, progress, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            var keep = (int)Math.Ceiling(ran.Count / (double)Eta);
            var ordered = ran.OrderBy(a => TrainingMetrics.LowerIsBetter(_metric) ? a.Last!.Score : -a.Last!.Score).ThenBy(a => a.Config.Index).ToList();
            foreach (var pruned in ordered.Skip(keep))
            {
                await FinishAsync(pruned, "pruned", planned, progress, cancellationToken).ConfigureAwait(false);
            }

            next.AddRange(ordered.Take(keep));
            alive = next;
        }
    }

    private async Task<(Task<string>? RunId, TrialOutcome? Outcome, double Seconds)> RunJobAsync(TrialConfig config, Task<string>? runId, int rung, double resource, bool final, CancellationToken cancellationToken)
    {
        await _fits.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (OutOfTime)
            {
                return (runId, null, 0);
            }

            var watch = Stopwatch.StartNew();
            // The child run is created off the trial's path: the trial does not wait for the store.
            runId ??= _log.StartAsync(config, cancellationToken);
            var outcome = await Task.Run(() => _executor.Run(config, rung, resource, cancellationToken, final), cancellationToken).ConfigureAwait(false);
            _log.LogRung(config.Index, outcome);
            return (runId, outcome, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            _fits.Release();
        }
    }

    private void Complete(TrialOutcome outcome)
    {
        lock (_lock)
        {
            var lower = TrainingMetrics.LowerIsBetter(_metric);
            if (_best is null
                || (lower ? outcome.Score < _best.Score : outcome.Score > _best.Score)
                || (outcome.Score == _best.Score && outcome.Config.Index < _best.Config.Index))
            {
                _best = outcome;
            }

            _curve.Add((_curve.Count, outcome.Config.Index, outcome.Score));
        }
    }

    private async Task FinishAsync((TrialConfig Config, Task<string>? RunId, double Train, double Total, TrialOutcome? Last) trial, string state, int? planned, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (trial.RunId is null)
        {
            return;
        }

        var runId = await trial.RunId.ConfigureAwait(false);
        await _log.FinishAsync(runId, trial.Config.Index, state, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _summaries.Add(new TrialSummary(trial.Config.Index, runId, trial.Config.Trainer, trial.Config.Hyperparameters, state,
                trial.Last?.Rung ?? 0, trial.Last?.Score ?? double.NaN, trial.Train, trial.Total));
            _done++;
            progress?.Report(new TrainingProgress("searching", _done, planned, _best?.Score, _metric, _clock.Elapsed, _budget is { } b ? b - _clock.Elapsed : null));
        }
    }
}
