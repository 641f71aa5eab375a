using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Keel.ML.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Drains the prediction log queue in batches into JSON Lines files under
/// <c>&lt;data dir&gt;/predictions/&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>, one line per scored request
/// (request_id is the join key for delayed labels). Flushes after each batch; drains what is left at shutdown.
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

    public PredictionLogWriter(PredictionLog log, string directory, ServingOptions options, ServingMetrics metrics, ILogger<PredictionLogWriter> logger)
    {
        _log = log;
        _directory = directory;
        _batchSize = options.PredictionLogBatchSize;
        _metrics = metrics;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _log.Reader;
        var batch = new List<PredictionRecord>(_batchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
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
            foreach (var (_, stream) in _files.Values)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
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
            catch (IOException e)
            {
                _logger.LogError(e, "Could not write {Count} prediction log records", batch.Count);
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
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _files[endpoint] = (path, stream);
        return stream;
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
