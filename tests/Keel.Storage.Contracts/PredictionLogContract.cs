using Keel.Core.Errors;
using Keel.Core.Predictions;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every prediction log backend signs up to (<see cref="IPredictionLogSink"/> and
/// <see cref="IPredictionLogReader"/>): records read back field for field, by endpoint and time range
/// across hours and days, from several writers sharing a location, once even when a batch is
/// written again, and retention by day. A backend's class only opens writers and a reader on one
/// fresh location and deletes it.
/// </summary>
public abstract class PredictionLogContract : IAsyncLifetime
{
    /// <summary>A Tuesday noon, UTC: far enough from midnight that an hour's records stay on one day.</summary>
    protected static readonly DateTimeOffset Noon = new(2024, 5, 14, 12, 0, 0, TimeSpan.Zero);

    private long _sequence = 1_000;

    /// <summary>A writer on the test's location, as the replica named <paramref name="replica"/> would open it.</summary>
    protected abstract IPredictionLogSink OpenSink(string replica);

    /// <summary>A reader of the test's location.</summary>
    protected abstract IPredictionLogReader OpenReader();

    /// <summary>Prepares the test's location.</summary>
    protected virtual Task CreateLocationAsync() => Task.CompletedTask;

    /// <summary>Deletes the test's location.</summary>
    protected abstract Task DeleteLocationAsync();

    public Task InitializeAsync() => CreateLocationAsync();

    public Task DisposeAsync() => DeleteLocationAsync();

    [ContractFact]
    public async Task Appended_records_read_back_field_for_field()
    {
        var sink = OpenSink("r1");
        var ok = Record("ep", Noon.AddMilliseconds(123), "req-1") with { Version = "churn/3", Role = "canary", LatencyMicros = 4_567 };
        var failed = Record("ep", Noon.AddMinutes(1), "req-2") with { Outputs = null, Error = "Input 'a' is missing" };
        var unicode = Record("ep", Noon.AddMinutes(2), "req-\u00e9\u4e2d \"quoted\"") with { Inputs = """{"text":["h\u00e9llo \u4e16\u754c \"q\""],"n":[null,1.5]}""" };

        await sink.AppendAsync(Batch(ok, failed, unicode));

        var read = await ReadAsync("ep", Noon, Noon.AddHours(1));
        Assert.Equal([ok, failed, unicode], read.OrderBy(r => r.Timestamp));
    }

    [ContractFact]
    public async Task Reading_returns_the_endpoint_and_time_range_asked_for_start_included_end_excluded()
    {
        var sink = OpenSink("r1");
        var before = Record("ep", Noon.AddMilliseconds(-1), "before");
        var atStart = Record("ep", Noon, "at-start");
        var inside = Record("ep", Noon.AddMinutes(90), "inside");
        var atEnd = Record("ep", Noon.AddHours(2), "at-end");
        var other = Record("other-ep", Noon.AddMinutes(5), "other");
        await sink.AppendAsync(Batch(before, atStart, inside, atEnd, other));

        Assert.Equal(["at-start", "inside"], Ids(await ReadAsync("ep", Noon, Noon.AddHours(2))));
        Assert.Equal(["other"], Ids(await ReadAsync("other-ep", Noon, Noon.AddHours(2))));
        Assert.Equal(["at-end", "at-start", "before", "inside"], Ids(await ReadAsync("ep", Noon.AddDays(-1), Noon.AddDays(1))));
    }

    [ContractFact]
    public async Task Records_of_many_batches_over_hours_and_days_all_read_back()
    {
        var sink = OpenSink("r1");
        var expected = new List<string>();
        for (var b = 0; b < 6; b++)
        {
            // Each batch spans two hours, and the last ones cross midnight.
            var start = Noon.AddHours(b * 2.5);
            var records = Enumerable.Range(0, 25).Select(i => Record("ep", start.AddMinutes(i * 5), $"b{b}-{i:D2}")).ToArray();
            expected.AddRange(records.Select(r => r.RequestId));
            await sink.AppendAsync(Batch(records));
        }

        var read = await ReadAsync("ep", Noon.AddDays(-1), Noon.AddDays(2));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Ids(read));
        Assert.Equal(expected.Count, read.Select(r => r.RequestId).Distinct().Count());
    }

    [ContractFact]
    public async Task A_large_batch_reads_back_whole()
    {
        var records = Enumerable.Range(0, 5_000).Select(i => Record("ep", Noon.AddMilliseconds(i * 7), $"req-{i:D5}")).ToArray();

        await OpenSink("r1").AppendAsync(Batch(records));

        Assert.Equal(records.Select(r => r.RequestId), Ids(await ReadAsync("ep", Noon, Noon.AddHours(1))));
    }

    [ContractFact]
    public virtual async Task Replicas_writing_the_same_hour_at_once_never_overwrite_each_other()
    {
        var a = OpenSink("replica-a");
        var b = OpenSink("replica-b");
        var fromA = Enumerable.Range(0, 40).Select(i => Record("ep", Noon.AddSeconds(i), $"a-{i:D2}")).ToArray();
        var fromB = Enumerable.Range(0, 40).Select(i => Record("ep", Noon.AddSeconds(i), $"b-{i:D2}")).ToArray();

        // The same sequence on both: replicas number their batches independently, and may collide.
        await Task.WhenAll(
            Task.Run(() => a.AppendAsync(new PredictionLogBatch(7, fromA))),
            Task.Run(() => b.AppendAsync(new PredictionLogBatch(7, fromB))));

        Assert.Equal(fromA.Concat(fromB).Select(r => r.RequestId).Order(StringComparer.Ordinal), Ids(await ReadAsync("ep", Noon, Noon.AddHours(1))));
    }

    [ContractFact]
    public async Task A_batch_written_again_is_stored_once()
    {
        var sink = OpenSink("r1");
        var batch = Batch(Record("ep", Noon, "x"), Record("ep", Noon.AddHours(1), "y"), Record("ep2", Noon, "z"));

        // What a writer does when an attempt failed after some or all of it was stored.
        await sink.AppendAsync(batch);
        await sink.AppendAsync(batch);

        Assert.Equal(["x", "y"], Ids(await ReadAsync("ep", Noon, Noon.AddDays(1))));
        Assert.Equal(["z"], Ids(await ReadAsync("ep2", Noon, Noon.AddDays(1))));
    }

    [ContractFact]
    public async Task A_later_batch_with_the_same_records_is_stored_again()
    {
        var sink = OpenSink("r1");
        var record = Record("ep", Noon, "same");

        await sink.AppendAsync(Batch(record));
        await sink.AppendAsync(Batch(record));

        Assert.Equal(["same", "same"], Ids(await ReadAsync("ep", Noon, Noon.AddHours(1))));
    }

    [ContractFact]
    public async Task Deleting_before_a_day_removes_older_days_of_every_endpoint_and_keeps_the_rest()
    {
        var sink = OpenSink("r1");
        var day = DateOnly.FromDateTime(Noon.UtcDateTime);
        await sink.AppendAsync(Batch(
            Record("ep", Noon.AddDays(-3), "old"),
            Record("ep", Noon.AddDays(-1).AddHours(-12), "kept-midnight"),
            Record("ep", Noon, "today"),
            Record("ep2", Noon.AddDays(-2), "old2"),
            Record("ep2", Noon.AddDays(-1), "kept2")));

        var deleted = await sink.DeleteBeforeAsync(day.AddDays(-1));

        Assert.Equal(2, deleted);
        Assert.Equal(["kept-midnight", "today"], Ids(await ReadAsync("ep", Noon.AddDays(-10), Noon.AddDays(1))));
        Assert.Equal(["kept2"], Ids(await ReadAsync("ep2", Noon.AddDays(-10), Noon.AddDays(1))));
        Assert.Equal(0, await sink.DeleteBeforeAsync(day.AddDays(-1)));
    }

    [ContractFact]
    public async Task An_endpoint_without_records_and_an_empty_range_read_nothing()
    {
        var sink = OpenSink("r1");
        await sink.AppendAsync(Batch(Record("ep", Noon, "x")));

        Assert.Empty(await ReadAsync("never-served", Noon.AddDays(-1), Noon.AddDays(1)));
        Assert.Empty(await ReadAsync("ep", Noon, Noon));
        Assert.Empty(await ReadAsync("ep", Noon.AddHours(1), Noon));
        Assert.Empty(await ReadAsync("ep", Noon.AddMilliseconds(1), Noon.AddHours(1)));
    }

    [ContractFact]
    public async Task An_endpoint_name_that_could_reach_outside_the_log_is_refused()
    {
        foreach (var name in new[] { "../ep", "a/b", "", "..", "ep=x" })
        {
            var e = await Assert.ThrowsAsync<KeelException>(() => ReadAsync(name, Noon, Noon.AddHours(1)));
            Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        }
    }

    /// <summary>A record of <paramref name="endpoint"/> at <paramref name="at"/> with typical inputs and outputs.</summary>
    protected static PredictionLogRecord Record(string endpoint, DateTimeOffset at, string requestId) =>
        new(at, requestId, endpoint, "model/1", "live", 250, """{"a":[1.5],"b":[-2]}""", """{"prediction":[0.75]}""", null);

    /// <summary>A batch with a fresh, larger sequence.</summary>
    protected PredictionLogBatch Batch(params PredictionLogRecord[] records) => new(++_sequence, records);

    /// <summary>Everything the reader gives for the endpoint and range.</summary>
    protected async Task<List<PredictionLogRecord>> ReadAsync(string endpoint, DateTimeOffset from, DateTimeOffset to)
    {
        var records = new List<PredictionLogRecord>();
        await foreach (var r in OpenReader().ReadAsync(endpoint, from, to))
        {
            records.Add(r);
        }

        return records;
    }

    private static List<string> Ids(IEnumerable<PredictionLogRecord> records) => records.Select(r => r.RequestId).Order(StringComparer.Ordinal).ToList();
}
