using System.Globalization;
using Keel.Application;
using Keel.Core.Tracking;
using RunStatus = Keel.Core.Tracking.RunStatus;

namespace Keel.Training;

/// <summary>
/// Child runs of a search. Calls are serialised: trials finish on several threads at once and a
/// store need not accept concurrent writes to one database, while one write costs far less than
/// a trial, so the lock is not what limits throughput.
/// </summary>
internal sealed class TrialLog(TrackingService tracking, string experimentId, string parentRunId, string metric, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, List<Metric>> _pending = [];

    public async Task<string> StartAsync(TrialConfig config, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Tag> tags =
            [
                new("mlflow.parentRunId", parentRunId),
                new("mlflow.source.name", "keel train"),
                new("mlflow.source.type", "LOCAL"),
                new("keel.trial.index", config.Index.ToString(CultureInfo.InvariantCulture)),
                new("keel.trial.trainer", config.Trainer),
            ];
            var name = $"trial-{config.Index:D3}-{config.Trainer}";
            var run = await tracking.CreateRunAsync(experimentId, Environment.UserName, name, null, tags, cancellationToken).ConfigureAwait(false);
            List<Param> parameters = [new("trainer", config.Trainer), new("seed", config.Seed.ToString(CultureInfo.InvariantCulture))];
            parameters.AddRange(config.Hyperparameters.Select(kv => new Param(kv.Key, kv.Value.ToString("R", CultureInfo.InvariantCulture))));
            await tracking.LogBatchAsync(run.Info.RunId, [], parameters, [], cancellationToken).ConfigureAwait(false);
            return run.Info.RunId;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Buffers a rung's metrics; they are written with the trial's final state in one batch, halving store calls per trial.</summary>
    public void LogRung(int trial, TrialOutcome outcome)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_pending)
        {
            if (!_pending.TryGetValue(trial, out var list))
            {
                _pending[trial] = list = [];
            }

            list.Add(new(metric, outcome.Score, now, outcome.Rung));
            list.Add(new("resource_fraction", outcome.Resource, now, outcome.Rung));
            list.Add(new("train_seconds", outcome.TrainSeconds, now, outcome.Rung));
        }
    }

    public async Task FinishAsync(string runId, int trial, string state, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Metric> metrics;
            lock (_pending)
            {
                metrics = _pending.Remove(trial, out var list) ? list : [];
            }

            await tracking.LogBatchAsync(runId, metrics, [], [new Tag("keel.trial.state", state)], cancellationToken).ConfigureAwait(false);
            await tracking.UpdateRunAsync(runId, RunStatus.Finished.ToWire(), time.GetUtcNow().ToUnixTimeMilliseconds(), null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
