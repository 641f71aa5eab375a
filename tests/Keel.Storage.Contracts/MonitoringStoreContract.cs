using Keel.Core.Monitoring;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IMonitoringStore"/> backend signs up to: buckets list by start in
/// [from, to), oldest first, and a recomputation replaces a bucket's figures but keeps its quality;
/// labels are last-write-wins per request id, counted as received, replaced, matched and unmatched,
/// join predictions indexed before or after them, and make their prediction's bucket stale until
/// its quality is recomputed with them; purge keeps matched labels; endpoints never see each other.
/// </summary>
public abstract class MonitoringStoreContract : IDisposable
{
    /// <summary>A bucket start aligned to 5 minutes, with no sub-second part.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IMonitoringStore? _store;

    /// <summary>The clock a store that takes one is given: it starts now and moves only when a test moves it.</summary>
    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>
    /// False when the store keeps its own clock (a server's): receipt-time boundaries are then checked
    /// with times an hour either side of now, not to the millisecond on <see cref="Clock"/>.
    /// </summary>
    protected virtual bool UsesGivenClock => true;

    protected IMonitoringStore Store => _store ??= CreateMonitoringStore(Clock);

    /// <summary>"Now" on the store's clock.</summary>
    protected DateTimeOffset Now => UsesGivenClock ? Clock.GetUtcNow() : DateTimeOffset.UtcNow;

    /// <summary>Returns a fresh, empty store on every call, on <paramref name="clock"/> when it takes one.</summary>
    protected abstract IMonitoringStore CreateMonitoringStore(TimeProvider clock);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Buckets_list_by_start_from_inclusive_to_exclusive_oldest_first_and_round_trip_exactly()
    {
        // Stored out of order; the computation time has milliseconds that must survive.
        var computed = T0.AddMinutes(20).AddMilliseconds(123);
        foreach (var minutes in new[] { 10, 0, 15, 5 })
        {
            await Store.PutBucketAsync(Bucket("churn", T0.AddMinutes(minutes), requests: minutes, stats: $"{{\"m\":{minutes}}}", computedAt: computed), []);
        }

        var listed = await Store.ListBucketsAsync("churn", T0.AddMinutes(5), T0.AddMinutes(15));
        Assert.Equal([T0.AddMinutes(5), T0.AddMinutes(10)], listed.Select(b => b.Start));
        var first = listed[0];
        Assert.Equal(("churn", 300, 5L, "{\"m\":5}", computed, (string?)null), (first.Endpoint, first.Seconds, first.Requests, first.Stats, first.ComputedAt, first.Quality));
        Assert.Equal(T0.AddMinutes(10), first.End);

        Assert.Equal(4, (await Store.ListBucketsAsync("churn", T0, T0.AddHours(1))).Count);
        Assert.Empty(await Store.ListBucketsAsync("churn", T0.AddMinutes(16), T0.AddHours(1)));
        Assert.Empty(await Store.ListBucketsAsync("other", T0, T0.AddHours(1)));
    }

    [ContractFact]
    public async Task Recomputing_a_bucket_replaces_its_figures_and_keeps_its_quality()
    {
        await Store.PutBucketAsync(Bucket("churn", T0, requests: 10, stats: "{\"v\":1}"), [Prediction("r1", T0)]);
        await Store.PutQualityAsync("churn", T0, "{\"accuracy\":0.9}", Now);
        await Store.PutBucketAsync(Bucket("churn", T0, requests: 12, stats: "{\"v\":2}", computedAt: T0.AddMinutes(9)), [Prediction("r1", T0), Prediction("r2", T0)]);

        var bucket = Assert.Single(await Store.ListBucketsAsync("churn", T0, T0.AddHours(1)));
        Assert.Equal((12L, "{\"v\":2}", T0.AddMinutes(9), "{\"accuracy\":0.9}"), (bucket.Requests, bucket.Stats, bucket.ComputedAt, bucket.Quality));
    }

    [ContractFact]
    public async Task The_latest_bucket_end_is_the_watermark_of_each_endpoint()
    {
        Assert.Null(await Store.LatestBucketEndAsync("churn"));
        await Store.PutBucketAsync(Bucket("churn", T0.AddMinutes(5)), []);
        await Store.PutBucketAsync(Bucket("churn", T0), []);
        await Store.PutBucketAsync(Bucket("fraud", T0.AddHours(2)), []);
        Assert.Equal(T0.AddMinutes(10), await Store.LatestBucketEndAsync("churn"));
        Assert.Equal(T0.AddHours(2).AddMinutes(5), await Store.LatestBucketEndAsync("fraud"));
    }

    [ContractFact]
    public async Task Labels_are_counted_received_replaced_matched_and_unmatched_and_the_last_write_wins()
    {
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("r1", T0, predicted: "1", scores: "[0.2,0.8]"), Prediction("r2", T0)]);

        Assert.Equal(new FeedbackOutcome(2, 0, 1, 1), await Store.AddLabelsAsync("churn", [new("r1", "0"), new("r3", "1")]));
        Assert.Equal(new FeedbackOutcome(2, 1, 1, 1), await Store.AddLabelsAsync("churn", [new("r1", "1"), new("r4", "0")]));

        var labeled = Assert.Single(await Store.ReadLabeledAsync("churn", T0));
        Assert.Equal(new LabeledPrediction("r1", "1", "1", "[0.2,0.8]", "1"), labeled);
        Assert.Equal(new LabelSummary(3, 1, 2, 1), await Store.LabelSummaryAsync("churn"));
        Assert.Equal(new LabelSummary(0, 0, 0, 0), await Store.LabelSummaryAsync("fraud"));
    }

    [ContractFact]
    public async Task A_label_that_arrives_before_its_prediction_is_indexed_joins_when_it_is()
    {
        Assert.Equal(new FeedbackOutcome(1, 0, 0, 1), await Store.AddLabelsAsync("churn", [new("early", "[1,0]")]));
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("other", T0)]);
        Assert.Empty(await Store.ReadLabeledAsync("churn", T0));
        Assert.Empty(await Store.StaleQualityBucketsAsync("churn"));

        await Store.PutBucketAsync(Bucket("churn", T0.AddMinutes(5)), [Prediction("early", T0.AddMinutes(5), predicted: "[1,1]", scores: null)]);
        Assert.Equal(new LabeledPrediction("early", "1", "[1,1]", null, "[1,0]"), Assert.Single(await Store.ReadLabeledAsync("churn", T0.AddMinutes(5))));
        Assert.Equal([T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));
        Assert.Equal(new LabelSummary(1, 1, 0, 0), await Store.LabelSummaryAsync("churn"));
    }

    [ContractFact]
    public async Task Quality_counts_the_labels_received_before_it_was_read_and_later_ones_keep_the_bucket_stale()
    {
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("r1", T0), Prediction("r2", T0)]);
        await Store.PutBucketAsync(Bucket("churn", T0.AddMinutes(5)), [Prediction("r3", T0.AddMinutes(5))]);
        await Store.AddLabelsAsync("churn", [new("r1", "1"), new("r3", "0")]);
        Assert.Equal([T0, T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));

        // Read before the labels arrived: they are not in this quality, so the bucket stays stale.
        await Store.PutQualityAsync("churn", T0, "{\"accuracy\":0}", Now.AddHours(-1));
        Assert.Equal([T0, T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));
        Assert.Equal("{\"accuracy\":0}", (await Store.ListBucketsAsync("churn", T0, T0.AddMinutes(5)))[0].Quality);

        if (UsesGivenClock)
        {
            // Received at the very millisecond of the read: not counted (only labels received before it are).
            await Store.PutQualityAsync("churn", T0, "{\"accuracy\":0}", Now);
            Assert.Equal([T0, T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));
            Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        // Read after: counted; the other bucket's label is untouched.
        await Store.PutQualityAsync("churn", T0, "{\"accuracy\":1}", UsesGivenClock ? Now : Now.AddHours(1));
        Assert.Equal([T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));
        Assert.Equal("{\"accuracy\":1}", (await Store.ListBucketsAsync("churn", T0, T0.AddMinutes(5)))[0].Quality);

        if (UsesGivenClock)
        {
            // A label received after the read of a computation still in flight keeps its bucket stale.
            var readAt = Now;
            Clock.Advance(TimeSpan.FromSeconds(2));
            await Store.AddLabelsAsync("churn", [new("r2", "0")]);
            await Store.PutQualityAsync("churn", T0, "{\"accuracy\":1}", readAt);
            Assert.Equal([T0, T0.AddMinutes(5)], await Store.StaleQualityBucketsAsync("churn"));
        }
    }

    [ContractFact]
    public async Task A_new_or_changed_label_makes_a_computed_bucket_stale_again()
    {
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("r1", T0), Prediction("r2", T0)]);
        await Store.AddLabelsAsync("churn", [new("r1", "1")]);
        await Store.PutQualityAsync("churn", T0, "{}", Now.AddHours(1));
        Assert.Empty(await Store.StaleQualityBucketsAsync("churn"));

        await Store.AddLabelsAsync("churn", [new("r2", "0")]);
        Assert.Equal([T0], await Store.StaleQualityBucketsAsync("churn"));
        await Store.PutQualityAsync("churn", T0, "{}", Now.AddHours(1));
        Assert.Empty(await Store.StaleQualityBucketsAsync("churn"));

        await Store.AddLabelsAsync("churn", [new("r1", "0")]);
        Assert.Equal([T0], await Store.StaleQualityBucketsAsync("churn"));
        Assert.Equal(["0", "0"], (await Store.ReadLabeledAsync("churn", T0)).Select(p => p.Label));
    }

    [ContractFact]
    public async Task Purge_deletes_old_buckets_and_predictions_and_only_unmatched_old_labels()
    {
        var recent = T0.AddDays(1);
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("old1", T0), Prediction("old2", T0)]);
        await Store.PutBucketAsync(Bucket("churn", recent), [Prediction("new1", recent)]);
        await Store.AddLabelsAsync("churn", [new("old1", "1"), new("new1", "0"), new("stray", "1")]);

        // Buckets before `recent` go with their predictions (1 + 2 rows); every label is younger than an hour ago.
        Assert.Equal(3, await Store.PurgeAsync(recent, Now.AddHours(-1)));
        Assert.Equal([recent], (await Store.ListBucketsAsync("churn", T0, recent.AddDays(1))).Select(b => b.Start));
        Assert.Equal(new LabelSummary(3, 1, 2, 0), await Store.LabelSummaryAsync("churn"));

        // Unmatched labels older than an hour from now: "old1" (its prediction was purged) and "stray"; "new1" is matched and stays.
        Assert.Equal(2, await Store.PurgeAsync(T0, Now.AddHours(1)));
        Assert.Equal(new LabelSummary(1, 1, 0, 0), await Store.LabelSummaryAsync("churn"));
        Assert.Equal("new1", Assert.Single(await Store.ReadLabeledAsync("churn", recent)).RequestId);
        Assert.Equal(0, await Store.PurgeAsync(T0, Now.AddHours(1)));
    }

    [ContractFact]
    public async Task Settings_are_absent_until_set_and_a_put_replaces_them_whole()
    {
        Assert.Null(await Store.GetSettingsAsync("churn"));
        var first = new MonitoringSettings("churn", "datasets:/churn-ref/3", "{\"method\":\"psi\",\"threshold\":0.2}", T0.AddMilliseconds(7));
        await Store.PutSettingsAsync(first);
        Assert.Equal(first, await Store.GetSettingsAsync("churn"));

        var second = new MonitoringSettings("churn", null, null, T0.AddMinutes(1).AddMilliseconds(999));
        await Store.PutSettingsAsync(second);
        Assert.Equal(second, await Store.GetSettingsAsync("churn"));
        Assert.Null(await Store.GetSettingsAsync("fraud"));
    }

    [ContractFact]
    public async Task Deleting_an_endpoint_removes_only_its_rows()
    {
        foreach (var endpoint in new[] { "churn", "fraud" })
        {
            await Store.PutBucketAsync(Bucket(endpoint, T0), [Prediction("r1", T0)]);
            await Store.AddLabelsAsync(endpoint, [new("r1", "1"), new("r2", "0")]);
            await Store.PutSettingsAsync(new MonitoringSettings(endpoint, null, "{}", T0));
        }

        await Store.DeleteEndpointAsync("churn");

        Assert.Empty(await Store.ListBucketsAsync("churn", T0, T0.AddDays(1)));
        Assert.Null(await Store.LatestBucketEndAsync("churn"));
        Assert.Empty(await Store.ReadLabeledAsync("churn", T0));
        Assert.Empty(await Store.StaleQualityBucketsAsync("churn"));
        Assert.Null(await Store.GetSettingsAsync("churn"));
        Assert.Equal(new LabelSummary(0, 0, 0, 0), await Store.LabelSummaryAsync("churn"));

        Assert.Single(await Store.ListBucketsAsync("fraud", T0, T0.AddDays(1)));
        Assert.Single(await Store.ReadLabeledAsync("fraud", T0));
        Assert.Equal([T0], await Store.StaleQualityBucketsAsync("fraud"));
        Assert.NotNull(await Store.GetSettingsAsync("fraud"));
        Assert.Equal(new LabelSummary(2, 1, 1, 0), await Store.LabelSummaryAsync("fraud"));

        // The name can be monitored again from nothing.
        Assert.Equal(new FeedbackOutcome(1, 0, 0, 1), await Store.AddLabelsAsync("churn", [new("r1", "1")]));
    }

    [ContractFact]
    public async Task Endpoints_never_see_each_others_predictions_labels_or_buckets()
    {
        await Store.PutBucketAsync(Bucket("churn", T0), [Prediction("shared-id", T0)]);
        Assert.Equal(new FeedbackOutcome(1, 0, 0, 1), await Store.AddLabelsAsync("fraud", [new("shared-id", "1")]));
        Assert.Equal(new FeedbackOutcome(1, 0, 1, 0), await Store.AddLabelsAsync("churn", [new("shared-id", "0")]));

        Assert.Equal("0", Assert.Single(await Store.ReadLabeledAsync("churn", T0)).Label);
        Assert.Empty(await Store.ReadLabeledAsync("fraud", T0));
        Assert.Empty(await Store.StaleQualityBucketsAsync("fraud"));
        Assert.Empty(await Store.ListBucketsAsync("fraud", T0, T0.AddDays(1)));
        Assert.Equal(new LabelSummary(1, 0, 1, 0), await Store.LabelSummaryAsync("fraud"));
        Assert.Equal(new LabelSummary(1, 1, 0, 0), await Store.LabelSummaryAsync("churn"));
    }

    [ContractFact]
    public async Task Batches_of_twenty_thousand_predictions_and_labels_go_in_one_call_each()
    {
        const int Rows = 20_000;
        var predictions = Enumerable.Range(0, Rows).Select(i => Prediction($"req-{i:D6}", T0, predicted: (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await Store.PutBucketAsync(Bucket("churn", T0, requests: Rows), predictions);

        // Half the labels match a prediction, half name requests not indexed (yet).
        var labels = Enumerable.Range(Rows / 2, Rows).Select(i => new FeedbackLabel($"req-{i:D6}", "1")).ToList();
        Assert.Equal(new FeedbackOutcome(Rows, 0, Rows / 2, Rows / 2), await Store.AddLabelsAsync("churn", labels));
        Assert.Equal(Rows / 2, (await Store.ReadLabeledAsync("churn", T0)).Count);
        Assert.Equal(new LabelSummary(Rows, Rows / 2, Rows / 2, 0), await Store.LabelSummaryAsync("churn"));
    }

    [ContractFact]
    public async Task Concurrent_label_batches_of_overlapping_requests_neither_fail_nor_lose_a_label()
    {
        const int Writers = 4;
        const int PerWriter = 1_500;
        await Store.PutBucketAsync(Bucket("churn", T0), [.. Enumerable.Range(0, 4_000).Select(i => Prediction($"r{i:D5}", T0))]);

        // Writer w labels [w*500, w*500 + 1500): neighbours overlap by 1000 ids, each in its own order
        // (ascending, descending, interleaved), the orders in which upserts deadlock when rows lock unsorted.
        var batches = Enumerable.Range(0, Writers).Select(w =>
        {
            var ids = Enumerable.Range(w * 500, PerWriter).Select(i => $"r{i:D5}");
            ids = (w % 3) switch { 0 => ids, 1 => ids.Reverse(), _ => ids.OrderBy(id => id[^1]).ThenByDescending(id => id) };
            return ids.Select(id => new FeedbackLabel(id, $"\"w{w}\"")).ToList();
        }).ToList();
        var outcomes = await Task.WhenAll(batches.Select(batch => Task.Run(() => Store.AddLabelsAsync("churn", batch))));

        Assert.All(outcomes, o => Assert.Equal((PerWriter, (long)PerWriter), (o.Received, o.Matched)));
        var distinct = ((Writers - 1) * 500) + PerWriter;
        Assert.Equal(distinct, (await Store.LabelSummaryAsync("churn")).Labels);
        var labeled = await Store.ReadLabeledAsync("churn", T0);
        Assert.Equal(distinct, labeled.Count);
        Assert.All(labeled, p =>
        {
            // The label is one that a writer of this id sent.
            var n = int.Parse(p.RequestId[1..], System.Globalization.CultureInfo.InvariantCulture);
            var writer = int.Parse(p.Label[2..^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(n, writer * 500, (writer * 500) + PerWriter - 1);
        });
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            (_store as IDisposable)?.Dispose();
        }
    }

    protected static MonitoringBucket Bucket(string endpoint, DateTimeOffset start, long requests = 1, string stats = "{}", DateTimeOffset? computedAt = null) =>
        new(endpoint, start, 300, requests, stats, computedAt ?? start.AddMinutes(6));

    protected static LoggedPrediction Prediction(string requestId, DateTimeOffset bucketStart, string predicted = "1", string? scores = null) =>
        new(requestId, bucketStart, "1", predicted, scores);
}
