using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Keel.Core.IO;
using Keel.ML.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Drains the prediction log queue in batches into JSON Lines files under
/// <c>&lt;data dir&gt;/predictions/&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>, one line per scored request
/// (request_id is the join key for delayed labels). Flushes after each batch; drains what is left at shutdown.
/// Files and directories are owner-only; day files past the retention setting are deleted at start and
/// once a day. A write that fails (disk full, read-only) is logged and its batch dropped; the writer keeps going.
/// </summary>
internal sealed class PredictionLogWriter : BackgroundService
{
    private readonly PredictionLog _log;
    private readonly string _directory;
    private readonly int _batchSize;
    private readonly ServingMetrics _metrics;
    private readonly ILogger<PredictionLogWriter> _logger;
    private readonly Dictionary<string, (string Path, FileStream Stream)> _files = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly int? _retentionDays;
    private readonly TimeProvider _time;
    private DateOnly _lastSweep;
    private long _lastErrorLogged;

    public PredictionLogWriter(PredictionLog log, string directory, ServingOptions options, ServingMetrics metrics, TimeProvider time, ILogger<PredictionLogWriter> logger)
    {
        _log = log;
        _directory = directory;
        _batchSize = options.PredictionLogBatchSize;
        _retentionDays = options.PredictionLogRetentionDays;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often an idle writer wakes to see whether a retention sweep is due.</summary>
    internal static TimeSpan SweepCheckInterval { get; } = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _log.Reader;
        var batch = new List<PredictionRecord>(_batchSize);
        try
        {
            Task<bool>? waiting = null;
            while (true)
            {
                stoppingToken.ThrowIfCancellationRequested();
                SweepIfDue();
                waiting ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                if (!waiting.IsCompleted && _retentionDays is not null
                    && await Task.WhenAny(waiting, Task.Delay(SweepCheckInterval, _time, stoppingToken)).ConfigureAwait(false) != waiting)
                {
                    continue;
                }

                if (!await waiting.ConfigureAwait(false))
                {
                    break;
                }

                waiting = null;
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is queued, then close.
            Drain(reader, batch);
        }
        finally
        {
            CloseFiles();
        }
    }

    private void Drain(System.Threading.Channels.ChannelReader<PredictionRecord> reader, List<PredictionRecord> batch)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (batch.Count == 0)
            {
                return;
            }

            _log.Dequeued(batch.Count);
            try
            {
                Write(batch);
                _metrics.QueueWritten.Inc(batch.Count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full or read-only disk must not stop serving; reopen the files on the next batch.
                CloseFiles();
                LogWriteError(e, batch.Count);
            }
        }
    }

    private void Write(List<PredictionRecord> batch)
    {
        foreach (var group in batch.GroupBy(r => r.Endpoint, StringComparer.Ordinal))
        {
            _buffer.Clear();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                foreach (var r in group)
                {
                    WriteRecord(json, r);
                    json.Flush();
                    json.Reset();
                    _buffer.Write("\n"u8);
                }
            }

            var stream = StreamFor(group.Key, group.First().Timestamp);
            stream.Write(_buffer.WrittenSpan);
            stream.Flush();
        }
    }

    private FileStream StreamFor(string endpoint, long timestamp)
    {
        var day = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = Path.Combine(_directory, endpoint, day + ".jsonl");
        if (_files.TryGetValue(endpoint, out var open) && open.Path == path)
        {
            return open.Stream;
        }

        open.Stream?.Dispose();
        _files.Remove(endpoint);
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = OwnerOnly.OpenAppend(path);
        _files[endpoint] = (path, stream);
        return stream;
    }

    private void SweepIfDue()
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
        PredictionLogRetention.Sweep(_directory, days, today, _logger);
    }

    private void CloseFiles()
    {
        foreach (var (_, stream) in _files.Values)
        {
            try
            {
                stream.Dispose();
            }
            catch (IOException)
            {
                // Flushing what the failed write buffered fails the same way; the batch is already lost.
            }
        }

        _files.Clear();
    }

    // Once a minute at most: a full disk fails every batch, and the log must not fill what is left.
    private void LogWriteError(Exception e, int count)
    {
        var now = Environment.TickCount64;
        if (_lastErrorLogged != 0 && now - _lastErrorLogged < 60_000)
        {
            return;
        }

        _lastErrorLogged = now;
        _logger.LogError(e, "Could not write {Count} prediction log records to {Directory}; they are dropped until writing works again", count, _directory);
    }

    private static void WriteRecord(Utf8JsonWriter w, in PredictionRecord r)
    {
        w.WriteStartObject();
        w.WriteNumber("timestamp", r.Timestamp);
        w.WriteString("request_id", r.RequestId);
        w.WriteString("endpoint", r.Endpoint);
        w.WriteString("version", r.Version);
        w.WriteString("role", r.Role);
        w.WriteNumber("latency_us", r.LatencyMicros);
        w.WritePropertyName("inputs");
        WriteColumns(w, r.Inputs.Columns);
        if (r.Outputs is { } outputs)
        {
            w.WritePropertyName("outputs");
            WriteColumns(w, outputs.Outputs.Select(o => o.Column));
        }

        if (r.Error is { } error)
        {
            w.WriteString("error", error);
        }

        w.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter w, IEnumerable<BatchColumn> columns)
    {
        w.WriteStartObject();
        foreach (var c in columns)
        {
            w.WritePropertyName(c.Name.Length == 0 ? "input" : c.Name);
            JsonValues.WriteArray(w, c);
        }

        w.WriteEndObject();
    }
}
