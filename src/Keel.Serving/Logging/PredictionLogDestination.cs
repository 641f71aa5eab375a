using Keel.Core.Artifacts;
using Keel.Core.Predictions;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Where the prediction log goes (<c>keel server --prediction-log</c>): JSON Lines day files on
/// local disk (the embedded default), or Parquet objects on an artifact store, local or S3, which
/// replicas can share. Both keep the log under a <c>predictions/</c> directory of the location given.
/// </summary>
public sealed class PredictionLogDestination
{
    /// <summary>The directory of the log under the location given.</summary>
    public const string Directory = "predictions";

    /// <summary>Records a Parquet writer collects by default before it writes an object.</summary>
    public const int DefaultParquetFlushRecords = 10_000;

    /// <summary>The longest a Parquet writer holds collected records by default.</summary>
    public static readonly TimeSpan DefaultParquetFlushInterval = TimeSpan.FromMinutes(1);

    private readonly Func<ServingOptions, ILoggerFactory, IPredictionLogBackend> _open;

    private PredictionLogDestination(string description, bool parquet, Func<ServingOptions, ILoggerFactory, IPredictionLogBackend> open)
    {
        Description = description;
        IsParquet = parquet;
        _open = open;
    }

    /// <summary>Where the log is, for the server's start-up message.</summary>
    public string Description { get; }

    /// <summary>True for Parquet objects, false for JSON Lines files.</summary>
    public bool IsParquet { get; }

    /// <summary>JSON Lines day files under <c>&lt;root&gt;/predictions/&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>, for one server.</summary>
    /// <param name="root">A local directory, e.g. the data directory.</param>
    public static PredictionLogDestination Files(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var dir = Path.Combine(Path.GetFullPath(root), Directory);
        return new PredictionLogDestination(
            $"JSON Lines files under {dir}",
            parquet: false,
            (_, loggers) => new JsonLinesPredictionLog(dir, loggers.CreateLogger<JsonLinesPredictionLog>()));
    }

    /// <summary>
    /// Parquet objects under <c>predictions/endpoint=&lt;name&gt;/date=&lt;yyyy-MM-dd&gt;/hour=&lt;HH&gt;/</c>
    /// of <paramref name="store"/>, each named after the replica that wrote it.
    /// </summary>
    /// <param name="store">The artifact store (local files or S3).</param>
    /// <param name="description">The store's location, for the start-up message.</param>
    public static PredictionLogDestination Parquet(IArtifactStore store, string description)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new PredictionLogDestination(
            $"Parquet objects under {description.TrimEnd('/')}/{Directory}",
            parquet: true,
            (options, loggers) => new ParquetPredictionLog(
                store, Directory, options.PredictionLogReplicaId ?? options.ReplicaId, loggers.CreateLogger<ParquetPredictionLog>()));
    }

    /// <summary>The sink (also the reader) for these settings.</summary>
    internal IPredictionLogBackend Open(ServingOptions options, ILoggerFactory loggers) => _open(options, loggers);

    /// <summary>The log's read side, for a process that only reads it (<c>keel worker</c> computing monitoring buckets).</summary>
    public Keel.Core.Predictions.IPredictionLogReader OpenReader() => _open(new ServingOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    /// <summary>When the writer writes: the settings where given, else this kind's defaults.</summary>
    internal PredictionLogFlush Flush(ServingOptions options) => IsParquet
        ? new PredictionLogFlush(options.PredictionLogFlushRecords ?? DefaultParquetFlushRecords, options.PredictionLogFlushInterval ?? DefaultParquetFlushInterval)
        : new PredictionLogFlush(options.PredictionLogFlushRecords ?? options.PredictionLogBatchSize, options.PredictionLogFlushInterval ?? TimeSpan.Zero);
}
