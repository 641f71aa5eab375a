using System.Globalization;
using System.Runtime.CompilerServices;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Predictions;
using Microsoft.Extensions.Logging;
using Parquet;

namespace Keel.Serving.Logging;

/// <summary>
/// The prediction log as Parquet objects on an artifact store (local files or S3):
/// <c>&lt;root&gt;/endpoint=&lt;name&gt;/date=&lt;yyyy-MM-dd&gt;/hour=&lt;HH&gt;/&lt;replica&gt;-&lt;sequence&gt;.parquet</c>.
/// Each write of a batch puts one object per partition it touches; the replica id and the batch's
/// sequence name it, so replicas never overwrite each other and a retried batch replaces its own
/// objects instead of adding copies. Objects are immutable once written: readers never see a part.
/// One query reads them all, e.g. in DuckDB
/// <c>read_parquet('&lt;root&gt;/*/*/*/*.parquet', hive_partitioning = true)</c>.
/// </summary>
internal sealed class ParquetPredictionLog : IPredictionLogBackend
{
    private const string Extension = ".parquet";

    private readonly IArtifactStore _store;
    private readonly string _root;
    private readonly string _replica;
    private readonly ILogger _logger;
    private readonly HashSet<PredictionPartition> _writtenOfLastBatch = [];
    private long _lastSequence = long.MinValue;

    /// <param name="store">Where the objects go, behind the path guard.</param>
    /// <param name="root">The log's directory in the store, e.g. <c>predictions</c>.</param>
    /// <param name="replica">This writer's replica id (checked by <see cref="ReplicaId"/>).</param>
    /// <param name="logger">Where skipped objects are reported.</param>
    public ParquetPredictionLog(IArtifactStore store, string root, string replica, ILogger logger)
    {
        _store = GuardedArtifactStore.Wrap(store);
        _root = ArtifactPath.Normalize(root);
        _replica = ReplicaId.Check(replica, "replica id");
        _logger = logger;
    }

    public async Task AppendAsync(PredictionLogBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Sequence != _lastSequence)
        {
            _lastSequence = batch.Sequence;
            _writtenOfLastBatch.Clear();
        }

        foreach (var group in batch.Records.GroupBy(r => PredictionPartition.Of(PredictionLogNames.CheckEndpoint(r.Endpoint), r.Timestamp)))
        {
            if (_writtenOfLastBatch.Contains(group.Key))
            {
                continue;
            }

            using var body = new MemoryStream();
            await WriteParquetAsync(body, group.ToList(), cancellationToken).ConfigureAwait(false);
            body.Position = 0;
            var name = string.Create(CultureInfo.InvariantCulture, $"{_replica}-{batch.Sequence:D16}{Extension}");
            await _store.WriteAsync(Under(group.Key.Path + "/" + name), body, cancellationToken).ConfigureAwait(false);
            _writtenOfLastBatch.Add(group.Key);
        }
    }

    public async Task<int> DeleteBeforeAsync(DateOnly before, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var endpoint in await _store.ListAsync(_root, cancellationToken).ConfigureAwait(false))
        {
            if (!endpoint.IsDir || !endpoint.Path.StartsWith(PredictionPartition.EndpointKey, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var date in await _store.ListAsync(Under(endpoint.Path), cancellationToken).ConfigureAwait(false))
            {
                if (date.IsDir && PredictionPartition.TryParseDate(date.Path, out var day) && day < before)
                {
                    await _store.DeleteAsync(Under(endpoint.Path + "/" + date.Path), cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
            }
        }

        if (deleted > 0)
        {
            _logger.LogInformation("Deleted {Count} prediction log day partitions dated before {Day}", deleted, before);
        }

        return deleted;
    }

    public async IAsyncEnumerable<PredictionLogRecord> ReadAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var endpointDir = Under(PredictionPartition.EndpointDir(PredictionLogNames.CheckEndpoint(endpoint)));
        if (from >= to)
        {
            yield break;
        }

        var first = PredictionPartition.Of(endpoint, from);
        var last = PredictionPartition.Of(endpoint, to.AddTicks(-1));
        foreach (var date in await _store.ListAsync(endpointDir, cancellationToken).ConfigureAwait(false))
        {
            if (!date.IsDir || !PredictionPartition.TryParseDate(date.Path, out var day) || day < first.Date || day > last.Date)
            {
                continue;
            }

            var dateDir = endpointDir + "/" + date.Path;
            foreach (var hour in await _store.ListAsync(dateDir, cancellationToken).ConfigureAwait(false))
            {
                if (!hour.IsDir || !PredictionPartition.TryParseHour(hour.Path, out var h)
                    || (day == first.Date && h < first.Hour) || (day == last.Date && h > last.Hour))
                {
                    continue;
                }

                var hourDir = dateDir + "/" + hour.Path;
                foreach (var file in await _store.ListAsync(hourDir, cancellationToken).ConfigureAwait(false))
                {
                    if (file.IsDir || !file.Path.EndsWith(Extension, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (var record in await ReadObjectAsync(hourDir + "/" + file.Path, endpoint, cancellationToken).ConfigureAwait(false))
                    {
                        if (record.Timestamp >= from && record.Timestamp < to)
                        {
                            yield return record;
                        }
                    }
                }
            }
        }
    }

    private string Under(string path) => _root.Length == 0 ? path : _root + "/" + path;

    private static async Task WriteParquetAsync(Stream output, List<PredictionLogRecord> rows, CancellationToken ct)
    {
        var s = ParquetPredictionSchema.Schema;
        await using var writer = await ParquetWriter.CreateAsync(s, output, cancellationToken: ct).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        var timestamps = rows.Select(r => r.Timestamp.UtcDateTime).ToArray();
        await group.WriteAsync(ParquetPredictionSchema.Timestamp, (ReadOnlyMemory<DateTime>)timestamps, null, null, ct).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.RequestId, rows.Select(r => r.RequestId).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.Version, rows.Select(r => r.Version).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.Role, rows.Select(r => r.Role).ToArray(), null).ConfigureAwait(false);
        var latencies = rows.Select(r => r.LatencyMicros).ToArray();
        await group.WriteAsync(ParquetPredictionSchema.LatencyMicros, (ReadOnlyMemory<long>)latencies, null, null, ct).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.Inputs, rows.Select(r => r.Inputs).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.Outputs, rows.Select(r => r.Outputs).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(ParquetPredictionSchema.Error, rows.Select(r => r.Error).ToArray(), null).ConfigureAwait(false);
    }

    // An object is at most one flush of one partition, so it is read whole into memory (the Parquet
    // reader seeks, and an S3 stream does not).
    private async Task<IReadOnlyList<PredictionLogRecord>> ReadObjectAsync(string path, string endpoint, CancellationToken ct)
    {
        using var body = new MemoryStream();
        try
        {
            await using var stream = await _store.OpenReadAsync(path, ct).ConfigureAwait(false);
            await stream.CopyToAsync(body, ct).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            // Deleted by retention (here or on another replica) between listing and reading.
            return [];
        }

        body.Position = 0;
        try
        {
            return await ParseAsync(body, endpoint, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            _logger.LogWarning(e, "Skipped prediction log object {Path}: it is not a prediction log Parquet file", path);
            return [];
        }
    }

    private static async Task<IReadOnlyList<PredictionLogRecord>> ParseAsync(Stream body, string endpoint, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(body, cancellationToken: ct).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var records = new List<PredictionLogRecord>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var timestamps = new DateTime[rows];
            await group.ReadAsync(fields[ParquetPredictionSchema.Timestamp.Name], timestamps.AsMemory(), null, ct).ConfigureAwait(false);
            var latencies = new long[rows];
            await group.ReadAsync(fields[ParquetPredictionSchema.LatencyMicros.Name], latencies.AsMemory(), null, ct).ConfigureAwait(false);
            var requestIds = await StringsAsync(group, fields, ParquetPredictionSchema.RequestId.Name, rows, ct).ConfigureAwait(false);
            var versions = await StringsAsync(group, fields, ParquetPredictionSchema.Version.Name, rows, ct).ConfigureAwait(false);
            var roles = await StringsAsync(group, fields, ParquetPredictionSchema.Role.Name, rows, ct).ConfigureAwait(false);
            var inputs = await StringsAsync(group, fields, ParquetPredictionSchema.Inputs.Name, rows, ct).ConfigureAwait(false);
            var outputs = await StringsAsync(group, fields, ParquetPredictionSchema.Outputs.Name, rows, ct).ConfigureAwait(false);
            var errors = await StringsAsync(group, fields, ParquetPredictionSchema.Error.Name, rows, ct).ConfigureAwait(false);
            for (var i = 0; i < rows; i++)
            {
                records.Add(new PredictionLogRecord(
                    new DateTimeOffset(DateTime.SpecifyKind(timestamps[i], DateTimeKind.Utc)),
                    requestIds[i]!,
                    endpoint,
                    versions[i]!,
                    roles[i]!,
                    latencies[i],
                    inputs[i]!,
                    outputs[i],
                    errors[i]));
            }
        }

        return records;
    }

    private static async Task<string?[]> StringsAsync(ParquetRowGroupReader group, Dictionary<string, Parquet.Schema.DataField> fields, string name, int rows, CancellationToken ct)
    {
        var values = new string?[rows];
        await group.ReadAsync(fields[name], values.AsMemory()!, null, ct).ConfigureAwait(false);
        return values;
    }
}
