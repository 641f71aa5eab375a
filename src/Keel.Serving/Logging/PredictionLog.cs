using System.Threading.Channels;

namespace Keel.Serving.Logging;

/// <summary>
/// The bounded in-memory queue in front of the prediction log. <see cref="TryAppend"/> never
/// blocks: when the writer falls behind, records are dropped and counted, because serving must not
/// wait on logging.
/// </summary>
internal sealed class PredictionLog
{
    private readonly Channel<PredictionRecord> _queue;
    private readonly ServingMetrics _metrics;
    private readonly double _sampleRate;
    private long _dropped;
    private long _depth;

    public PredictionLog(ServingOptions options, ServingMetrics metrics)
    {
        _metrics = metrics;
        _sampleRate = options.PredictionLogSampleRate;
        // FullMode.Wait makes TryWrite fail when full (DropWrite would report success), so drops can be counted.
        _queue = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(options.PredictionLogQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        metrics.Registry.AddBeforeCollectCallback(() => metrics.QueueDepth.Set(Depth));
    }

    public ChannelReader<PredictionRecord> Reader => _queue.Reader;

    public long Dropped => Volatile.Read(ref _dropped);

    public long Depth => Volatile.Read(ref _depth);

    /// <summary>True when the record should be logged under the sampling rate.</summary>
    public bool ShouldSample() => _sampleRate >= 1 || (_sampleRate > 0 && Random.Shared.NextDouble() < _sampleRate);

    public void TryAppend(in PredictionRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _depth);
            return;
        }

        Interlocked.Increment(ref _dropped);
        _metrics.QueueDropped.Inc();
    }

    internal void Dequeued(int count) => Interlocked.Add(ref _depth, -count);

    public void Complete() => _queue.Writer.TryComplete();
}
