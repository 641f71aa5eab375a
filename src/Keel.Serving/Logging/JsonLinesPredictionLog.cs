using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Core.IO;
using Keel.Core.Predictions;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// The embedded prediction log: JSON Lines day files under
/// <c>&lt;directory&gt;/&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c> (UTC days), one line per scored request,
/// owner-only. One server appends to a directory; replicas use <see cref="ParquetPredictionLog"/>.
/// A write that fails is cut back to where it started, so a retry never leaves half a line behind,
/// and the groups of a batch already written are not written again when the same batch is retried.
/// </summary>
internal sealed class JsonLinesPredictionLog : IPredictionLogBackend, IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (string Path, FileStream Stream)> _files = new(StringComparer.Ordinal);
    private readonly HashSet<(string Endpoint, DateOnly Day)> _writtenOfLastBatch = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Lock _gate = new();
    private long _lastSequence = long.MinValue;

    public JsonLinesPredictionLog(string directory, ILogger logger)
    {
        _directory = directory;
        _logger = logger;
    }

    public Task AppendAsync(PredictionLogBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (batch.Sequence != _lastSequence)
            {
                _lastSequence = batch.Sequence;
                _writtenOfLastBatch.Clear();
            }

            foreach (var group in batch.Records.GroupBy(r => (r.Endpoint, Day: DateOnly.FromDateTime(r.Timestamp.UtcDateTime))))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_writtenOfLastBatch.Contains(group.Key))
                {
                    continue;
                }

                WriteGroup(group.Key.Endpoint, group.Key.Day, group);
                _writtenOfLastBatch.Add(group.Key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteBeforeAsync(DateOnly before, CancellationToken cancellationToken = default) =>
        Task.FromResult(PredictionLogRetention.Sweep(_directory, before, _logger));

    public async IAsyncEnumerable<PredictionLogRecord> ReadAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var dir = Path.Combine(_directory, PredictionLogNames.CheckEndpoint(endpoint));
        if (from >= to || !Directory.Exists(dir))
        {
            yield break;
        }

        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        var lastDay = DateOnly.FromDateTime(to.AddTicks(-1).UtcDateTime);
        var days = Directory.EnumerateFiles(dir, "*.jsonl")
            .Select(f => (File: f, Ok: PredictionLogRetention.TryParseDay(f, out var day), Day: day))
            .Where(f => f.Ok && f.Day >= firstDay && f.Day <= lastDay)
            .OrderBy(f => f.Day);
        foreach (var (file, _, _) in days)
        {
            // Shared with the appending writer: a reader sees whole lines up to what was flushed.
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
            using var lines = new StreamReader(stream);
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (Parse(line) is { } record && record.Endpoint == endpoint && record.Timestamp >= from && record.Timestamp < to)
                {
                    yield return record;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseFiles();
        }
    }

    private void WriteGroup(string endpoint, DateOnly day, IEnumerable<PredictionLogRecord> records)
    {
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            foreach (var r in records)
            {
                WriteRecord(json, r);
                json.Flush();
                json.Reset();
                _buffer.Write("\n"u8);
            }
        }

        var stream = StreamFor(PredictionLogNames.CheckEndpoint(endpoint), day);
        var start = stream.Position;
        try
        {
            stream.Write(_buffer.WrittenSpan);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Truncate(stream, start);
            Close(endpoint);
            throw;
        }
    }

    private FileStream StreamFor(string endpoint, DateOnly day)
    {
        var path = Path.Combine(_directory, endpoint, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");
        if (_files.TryGetValue(endpoint, out var open) && open.Path == path)
        {
            return open.Stream;
        }

        Close(endpoint);
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = OwnerOnly.OpenAppend(path);
        _files[endpoint] = (path, stream);
        return stream;
    }

    // Best effort: what a failed write put down is cut off, so the retry starts on a fresh line.
    private static void Truncate(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // The file cannot be changed at all; the reader skips a torn line.
        }
    }

    private void Close(string endpoint)
    {
        if (_files.Remove(endpoint, out var open))
        {
            Dispose(open.Stream);
        }
    }

    private void CloseFiles()
    {
        foreach (var (_, stream) in _files.Values)
        {
            Dispose(stream);
        }

        _files.Clear();
    }

    private static void Dispose(FileStream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // Flushing what a failed write buffered fails the same way; the write has already reported it.
        }
    }

    private static void WriteRecord(Utf8JsonWriter w, PredictionLogRecord r)
    {
        w.WriteStartObject();
        w.WriteNumber("timestamp", r.Timestamp.ToUnixTimeMilliseconds());
        w.WriteString("request_id", r.RequestId);
        w.WriteString("endpoint", r.Endpoint);
        w.WriteString("version", r.Version);
        w.WriteString("role", r.Role);
        w.WriteNumber("latency_us", r.LatencyMicros);
        w.WritePropertyName("inputs");
        w.WriteRawValue(r.Inputs, skipInputValidation: false);
        if (r.Outputs is { } outputs)
        {
            w.WritePropertyName("outputs");
            w.WriteRawValue(outputs, skipInputValidation: false);
        }

        if (r.Error is { } error)
        {
            w.WriteString("error", error);
        }

        w.WriteEndObject();
    }

    // A line that does not parse (torn by a crash mid-write) is skipped, not fatal to the read.
    private static PredictionLogRecord? Parse(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            return new PredictionLogRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(o.GetProperty("timestamp").GetInt64()),
                o.GetProperty("request_id").GetString()!,
                o.GetProperty("endpoint").GetString()!,
                o.GetProperty("version").GetString()!,
                o.GetProperty("role").GetString()!,
                o.GetProperty("latency_us").GetInt64(),
                o.GetProperty("inputs").GetRawText(),
                o.TryGetProperty("outputs", out var outputs) ? outputs.GetRawText() : null,
                o.TryGetProperty("error", out var error) ? error.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
