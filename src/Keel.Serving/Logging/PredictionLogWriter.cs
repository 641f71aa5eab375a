using System.Threading.Channels;
using Keel.Core.Predictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Drains the prediction log queue into the sink in the background: records are collected until
/// there are <see cref="PredictionLogFlush.Records"/> of them or the oldest has waited
/// <see cref="PredictionLogFlush.Interval"/>, then written as one batch. Serving only ever enqueues
/// (<see cref="PredictionLog.TryAppend"/>), so a slow or failing sink fills the queue, whose drops
/// are counted, and never delays a request. A failed write is logged, counted, retried once with the
/// same batch, then its records are dropped and counted. Days past the retention setting are deleted
/// at start and once a day. At shutdown what is queued is written, within a grace period.
/// </summary>
internal sealed class PredictionLogWriter : BackgroundService
{
    private readonly PredictionLog _log;
    private readonly IPredictionLogSink _sink;
    private readonly PredictionLogFlush _flush;
    private readonly int? _retentionDays;
    private readonly ServingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionLogWriter> _logger;
    private readonly PredictionRecordJson _json;
    private readonly List<PredictionRecord> _pending = [];
    private DateTimeOffset _oldestPending;
    private DateOnly _lastSweep;
    private long _lastSequence;
    private long _lastErrorLogged;

    public PredictionLogWriter(PredictionLog log, IPredictionLogSink sink, PredictionLogFlush flush, ServingOptions options, ServingMetrics metrics, TimeProvider time, ILogger<PredictionLogWriter> logger, PredictionLogProtection? protection = null)
    {
        _json = new PredictionRecordJson(protection);
        _log = log;
        _sink = sink;
        _flush = flush;
        _retentionDays = options.PredictionLogRetentionDays;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often an idle writer wakes to see whether a retention sweep is due.</summary>
    internal static TimeSpan SweepCheckInterval { get; } = TimeSpan.FromHours(1);

    /// <summary>How long shutdown waits for the last writes before giving up on them.</summary>
    internal static TimeSpan ShutdownGrace { get; } = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Writes are not cancelled when shutdown starts (that would lose the batch in flight), only
        // when the grace period after it has passed.
        using var writes = new CancellationTokenSource();
        using var shutdown = stoppingToken.Register(() => writes.CancelAfter(ShutdownGrace));
        var reader = _log.Reader;
        try
        {
            Task<bool>? waiting = null;
            while (true)
            {
                stoppingToken.ThrowIfCancellationRequested();
                await SweepIfDueAsync(writes.Token).ConfigureAwait(false);
                waiting ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                if (!waiting.IsCompleted && NextWake() is { } wait)
                {
                    using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var delay = Task.Delay(wait, _time, timer.Token);
                    var first = await Task.WhenAny(waiting, delay).ConfigureAwait(false);
                    await timer.CancelAsync().ConfigureAwait(false);
                    if (first != waiting)
                    {
                        await FlushIfDueAsync(writes.Token).ConfigureAwait(false);
                        continue;
                    }
                }

                if (!await waiting.ConfigureAwait(false))
                {
                    break;
                }

                waiting = null;
                await TakeAsync(reader, writes.Token).ConfigureAwait(false);
                await FlushIfDueAsync(writes.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued is written below.
        }

        try
        {
            await TakeAsync(reader, writes.Token).ConfigureAwait(false);
            await FlushAsync(writes.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (writes.IsCancellationRequested)
        {
            _logger.LogWarning("Prediction log records still queued at the end of the shutdown grace period were not written");
        }
    }

    // The writer wakes for the pending batch's deadline and, with retention on, for the daily sweep.
    private TimeSpan? NextWake()
    {
        TimeSpan? wake = _retentionDays is null ? null : SweepCheckInterval;
        if (_pending.Count > 0)
        {
            var due = _oldestPending + _flush.Interval - _time.GetUtcNow();
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
            wake = wake is { } w && w < due ? w : due;
        }

        return wake;
    }

    private async Task TakeAsync(ChannelReader<PredictionRecord> reader, CancellationToken ct)
    {
        var taken = 0;
        while (reader.TryRead(out var record))
        {
            if (_pending.Count == 0)
            {
                _oldestPending = _time.GetUtcNow();
            }

            _pending.Add(record);
            taken++;
            if (_pending.Count >= _flush.Records)
            {
                _log.Dequeued(taken);
                taken = 0;
                await FlushAsync(ct).ConfigureAwait(false);
            }
        }

        _log.Dequeued(taken);
    }

    private Task FlushIfDueAsync(CancellationToken ct) =>
        _pending.Count > 0 && _time.GetUtcNow() - _oldestPending >= _flush.Interval ? FlushAsync(ct) : Task.CompletedTask;

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var records = new List<PredictionLogRecord>(_pending.Count);
        foreach (var r in _pending)
        {
            try
            {
                records.Add(_json.ToLogRecord(r));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                // A record that cannot be put into words is dropped alone; the writer goes on.
                _metrics.WriteDropped.Inc();
                _logger.LogWarning(e, "Could not serialise the prediction log record of request {RequestId}; it is dropped", r.RequestId);
            }
        }

        _pending.Clear();
        if (records.Count == 0)
        {
            return;
        }

        var batch = new PredictionLogBatch(NextSequence(), records);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                await _sink.AppendAsync(batch, ct).ConfigureAwait(false);
                _metrics.QueueWritten.Inc(records.Count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Whatever the sink throws (a full disk, an unreachable object store) must not stop the writer.
                _metrics.WriteFailures.Inc();
                LogWriteError(e, records.Count, attempt);
            }
        }

        _metrics.WriteDropped.Inc(records.Count);
    }

    // Larger than any earlier one, across restarts too: microseconds since the epoch, bumped on a tie.
    private long NextSequence()
    {
        var now = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        _lastSequence = Math.Max(_lastSequence + 1, now);
        return _lastSequence;
    }

    private async Task SweepIfDueAsync(CancellationToken ct)
    {
        if (_retentionDays is not { } days)
        {
            return;
        }

        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (today == _lastSweep)
        {
            return;
        }

        _lastSweep = today;
        try
        {
            await _sink.DeleteBeforeAsync(today.AddDays(-days), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Could not delete prediction log records older than {Days} days; trying again tomorrow", days);
        }
    }

    // Once a minute at most: a full disk fails every batch, and the log must not fill what is left.
    private void LogWriteError(Exception e, int count, int attempt)
    {
        var now = Environment.TickCount64;
        if (_lastErrorLogged != 0 && now - _lastErrorLogged < 60_000)
        {
            return;
        }

        _lastErrorLogged = now;
        _logger.LogError(
            e,
            attempt == 1
                ? "Could not write {Count} prediction log records; retrying once"
                : "Could not write {Count} prediction log records again; they are dropped",
            count);
    }
}
