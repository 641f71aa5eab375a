using System.Collections.Concurrent;
using Keel.Core.Predictions;

namespace Keel.Serving.Tests.Logging;

/// <summary>A sink whose every call does what the test says (fail, block, succeed) and is recorded.</summary>
internal sealed class ScriptedSink(Func<int, PredictionLogBatch, CancellationToken, Task>? onAppend = null) : IPredictionLogSink
{
    private int _calls;

    public ConcurrentQueue<PredictionLogBatch> Calls { get; } = new();

    public ConcurrentQueue<DateOnly> Deletes { get; } = new();

    public IEnumerable<string> Stored => StoredBatches.SelectMany(b => b.Records).Select(r => r.RequestId);

    public ConcurrentQueue<PredictionLogBatch> StoredBatches { get; } = new();

    public async Task AppendAsync(PredictionLogBatch batch, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        Calls.Enqueue(batch);
        if (onAppend is not null)
        {
            await onAppend(call, batch, cancellationToken);
        }

        StoredBatches.Enqueue(batch);
    }

    public Task<int> DeleteBeforeAsync(DateOnly before, CancellationToken cancellationToken = default)
    {
        Deletes.Enqueue(before);
        return Task.FromResult(0);
    }
}
