using Keel.ML;
using Keel.ML.Data;
using Keel.Serving.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Serving.Tests.Logging;

/// <summary>
/// The writer between the queue and the sink: batches by count or age, one retry of a failed write
/// then counted drops, a blocked sink that never reaches serving, retention, the last batch at shutdown.
/// </summary>
public sealed class PredictionLogWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ServingMetrics _metrics = new();

    [Fact]
    public async Task A_failed_write_is_retried_once_with_the_same_batch_and_counted()
    {
        var sink = new ScriptedSink((call, _, _) => call == 1 ? throw new IOException("disk full") : Task.CompletedTask);
        var (log, writer) = Start(sink, new PredictionLogFlush(5, TimeSpan.Zero));
        Append(log, 5);

        await WaitUntil(() => sink.StoredBatches.Count == 1, "the retried batch to be stored");
        await writer.StopAsync(CancellationToken.None);

        var calls = sink.Calls.ToArray();
        Assert.Equal(2, calls.Length);
        Assert.Same(calls[0], calls[1]);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], sink.Stored);
        Assert.Equal(1, _metrics.WriteFailures.Value);
        Assert.Equal(5, _metrics.QueueWritten.Value);
        Assert.Equal(0, _metrics.WriteDropped.Value);
    }

    [Fact]
    public async Task A_batch_failing_twice_is_dropped_and_counted_and_writing_goes_on()
    {
        var sink = new ScriptedSink((call, _, _) => call <= 2 ? throw new HttpRequestException("object store down") : Task.CompletedTask);
        var (log, writer) = Start(sink, new PredictionLogFlush(3, TimeSpan.Zero));
        Append(log, 3);
        await WaitUntil(() => _metrics.WriteDropped.Value == 3, "the failed batch to be dropped");

        Append(log, 2, "later");
        await WaitUntil(() => sink.StoredBatches.Count == 1, "the next batch to be stored");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["later0", "later1"], sink.Stored);
        Assert.Equal(2, _metrics.WriteFailures.Value);
        Assert.Equal(2, _metrics.QueueWritten.Value);
        var calls = sink.Calls.ToArray();
        Assert.True(calls[2].Sequence > calls[0].Sequence, "a new batch has a larger sequence than the dropped one");
    }

    [Fact]
    public async Task A_sink_that_never_answers_never_blocks_appending_and_the_overflow_is_counted()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new ScriptedSink(async (_, _, ct) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(ct);
        });
        var (log, writer) = Start(sink, new PredictionLogFlush(1, TimeSpan.Zero), queueCapacity: 4);
        Append(log, 1);
        await entered.Task.WaitAsync(Deadline);

        // What serving does on every request: it returns at once whatever the sink is doing.
        await Task.Run(() => Append(log, 10, "more")).WaitAsync(Deadline);

        Assert.Equal(4, log.Depth);
        Assert.Equal(6, log.Dropped);
        Assert.Equal(6, _metrics.QueueDropped.Value);
        release.SetResult();
        await WaitUntil(() => log.Depth == 0 && sink.StoredBatches.Count == 5, "the queue to drain once the sink answers");
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(["r0", "more0", "more1", "more2", "more3"], sink.Stored);
    }

    [Fact]
    public async Task Records_are_written_when_enough_are_collected_or_the_oldest_has_waited_long_enough()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 14, 12, 0, 0, TimeSpan.Zero));
        var sink = new ScriptedSink();
        var (log, writer) = Start(sink, new PredictionLogFlush(3, TimeSpan.FromSeconds(10)), time: time);
        Append(log, 7);

        await WaitUntil(() => sink.StoredBatches.Count == 2 && log.Depth == 0, "two full batches");
        // The clock has not moved: the seventh record waits for its batch to fill or to age.
        Assert.Equal(2, sink.Calls.Count);
        Assert.All(sink.StoredBatches, b => Assert.Equal(3, b.Records.Count));

        await WaitUntil(() => sink.StoredBatches.Count == 3, "the aged batch", () => time.Advance(TimeSpan.FromSeconds(1)));
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(["r6"], sink.StoredBatches.Last().Records.Select(r => r.RequestId));
    }

    [Fact]
    public async Task Shutdown_writes_what_is_collected()
    {
        var sink = new ScriptedSink();
        var (log, writer) = Start(sink, new PredictionLogFlush(1_000, TimeSpan.FromHours(1)));
        Append(log, 5);
        await WaitUntil(() => log.Depth == 0, "the records to be collected");
        Assert.Empty(sink.Calls);

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], sink.Stored);
    }

    [Fact]
    public async Task Retention_deletes_the_days_before_the_window_at_start()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 14, 23, 59, 0, TimeSpan.Zero));
        var sink = new ScriptedSink();
        var (_, writer) = Start(sink, new PredictionLogFlush(1, TimeSpan.Zero), time: time, retentionDays: 7);

        await WaitUntil(() => !sink.Deletes.IsEmpty, "the first sweep");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal([new DateOnly(2024, 5, 7)], sink.Deletes);
    }

    [Fact]
    public async Task Stored_records_carry_the_request_and_its_answer_as_json()
    {
        var sink = new ScriptedSink();
        var (log, writer) = Start(sink, new PredictionLogFlush(1, TimeSpan.Zero));
        log.TryAppend(new PredictionRecord(
            1_715_688_000_123, "req-9", "ep", "m/2", "canary", 77,
            new ColumnBatch(BatchColumn.Of("a", new[] { 1.5, double.NaN }), BatchColumn.Of(string.Empty, new[] { 2L, 3L })),
            new PredictionResult(2, [new PredictionOutput(BatchColumn.Of("prediction", new[] { 0.5f, 1f }), PredictionRole.Prediction)]),
            null));

        await WaitUntil(() => sink.StoredBatches.Count == 1, "the record");
        await writer.StopAsync(CancellationToken.None);

        var r = Assert.Single(sink.StoredBatches.Single().Records);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_715_688_000_123), r.Timestamp);
        Assert.Equal(("req-9", "ep", "m/2", "canary", 77L), (r.RequestId, r.Endpoint, r.Version, r.Role, r.LatencyMicros));
        Assert.Equal("""{"a":[1.5,null],"input":[2,3]}""", r.Inputs);
        Assert.Equal("""{"prediction":[0.5,1]}""", r.Outputs);
        Assert.Null(r.Error);
    }

    private (PredictionLog Log, PredictionLogWriter Writer) Start(ScriptedSink sink, PredictionLogFlush flush, int queueCapacity = 1_000, TimeProvider? time = null, int? retentionDays = null)
    {
        var options = new ServingOptions { PredictionLogQueueCapacity = queueCapacity, PredictionLogRetentionDays = retentionDays };
        var log = new PredictionLog(options, _metrics);
        var writer = new PredictionLogWriter(log, sink, flush, options, _metrics, time ?? TimeProvider.System, NullLogger<PredictionLogWriter>.Instance);
        writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (log, writer);
    }

    private static void Append(PredictionLog log, int count, string prefix = "r")
    {
        for (var i = 0; i < count; i++)
        {
            log.TryAppend(new PredictionRecord(
                1_715_688_000_000 + i, prefix + i, "ep", "m/1", "live", 10,
                new ColumnBatch(BatchColumn.Of("a", new[] { (double)i })),
                new PredictionResult(1, [new PredictionOutput(BatchColumn.Of("prediction", new[] { 1.0 }), PredictionRole.Prediction)]),
                null));
        }
    }

    // Polls with a deadline; `nudge` moves a fake clock between looks where the condition waits on time.
    private static async Task WaitUntil(Func<bool> condition, string what, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            nudge?.Invoke();
            await Task.Delay(5);
        }
    }
}
