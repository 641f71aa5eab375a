using System.Globalization;
using Keel.Compute.Serving;
using Keel.Core.Errors;
using Keel.Core.Monitoring;

namespace Keel.Application.Monitoring;

public sealed partial class MonitoringService
{
    /// <summary>The most windows one report holds.</summary>
    public const int MaxWindows = 2_000;

    /// <summary>
    /// An endpoint's figures per window over a range, merged from stored buckets. Windows are by
    /// time (<paramref name="window"/>, a multiple of the bucket length, aligned to it since the Unix
    /// epoch) or by count (<paramref name="count"/>: consecutive buckets merged until they hold at
    /// least that many requests; a window still filling is left out).
    /// </summary>
    public async Task<MonitoringReport> ReportAsync(string? endpoint, string? window, string? from, string? to, long? count, CancellationToken cancellationToken)
    {
        var name = await ExistingEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var bucket = Options.BucketSeconds;
        if (count is not null && window is not null)
        {
            throw KeelException.InvalidParameter("Invalid window and count: give one, a window by time (window=1h) or by count (count=1000).");
        }

        if (count is <= 0 or > 100_000_000)
        {
            throw KeelException.InvalidParameter($"Invalid count {count}: it must be between 1 and 100,000,000 requests.");
        }

        var seconds = window is null ? bucket : MonitoringWindow.Parse(window, "window").Seconds;
        if (seconds % bucket != 0)
        {
            throw KeelException.InvalidParameter($"Invalid window '{window}': it must be a whole number of buckets ({WindowLength.Format(bucket)} each, KEEL_MONITORING_BUCKET_SECONDS).");
        }

        var end = to is null ? _time.GetUtcNow() : WindowLength.Time(to, "to");
        var start = from is null
            ? end.AddSeconds(-(double)seconds * (count is null ? 24 : 1)).AddDays(count is null ? 0 : -1)
            : WindowLength.Time(from, "from");
        if (start >= end)
        {
            throw KeelException.InvalidParameter("Invalid from: it must be before to.");
        }

        start = WindowLength.Floor(start, seconds);
        if (count is null && (end - start).TotalSeconds / seconds > MaxWindows)
        {
            throw KeelException.InvalidParameter($"Invalid range: it holds more than {MaxWindows:N0} windows of {WindowLength.Format(seconds)}; use a longer window or a shorter range.");
        }

        var settings = await _store.GetSettingsAsync(name, cancellationToken).ConfigureAwait(false);
        var buckets = await _store.ListBucketsAsync(name, start, end, cancellationToken).ConfigureAwait(false);
        var groups = count is { } n ? ByCount(buckets, n) : ByTime(buckets, seconds);
        var windows = new List<MonitoringWindowFigures>(groups.Count);
        foreach (var (windowStart, windowEnd, members) in groups)
        {
            windows.Add(await FiguresAsync(windowStart, windowEnd, members, settings, cancellationToken).ConfigureAwait(false));
        }

        var labels = await _store.LabelSummaryAsync(name, cancellationToken).ConfigureAwait(false);
        var label = count is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c} requests") : WindowLength.Format(seconds);
        return new MonitoringReport(name, label, start, end, bucket, windows, labels);
    }

    private static List<(DateTimeOffset Start, DateTimeOffset End, List<MonitoringBucket> Buckets)> ByTime(IReadOnlyList<MonitoringBucket> buckets, int seconds) =>
        buckets.Where(b => b.Requests > 0)
            .GroupBy(b => WindowLength.Floor(b.Start, seconds))
            .Select(g => (g.Key, g.Key.AddSeconds(seconds), g.ToList()))
            .ToList();

    private static List<(DateTimeOffset Start, DateTimeOffset End, List<MonitoringBucket> Buckets)> ByCount(IReadOnlyList<MonitoringBucket> buckets, long count)
    {
        var windows = new List<(DateTimeOffset, DateTimeOffset, List<MonitoringBucket>)>();
        var current = new List<MonitoringBucket>();
        long requests = 0;
        foreach (var bucket in buckets.Where(b => b.Requests > 0))
        {
            current.Add(bucket);
            requests += bucket.Requests;
            if (requests >= count)
            {
                windows.Add((current[0].Start, bucket.End, current));
                current = [];
                requests = 0;
            }
        }

        return windows;
    }

    private async Task<MonitoringWindowFigures> FiguresAsync(DateTimeOffset start, DateTimeOffset end, List<MonitoringBucket> buckets, MonitoringSettings? settings, CancellationToken cancellationToken)
    {
        var sketch = new BucketSketch();
        var quality = new QualityDocument();
        foreach (var bucket in buckets)
        {
            sketch.Merge(BucketSketch.Parse(bucket.Stats));
            if (bucket.Quality is { } q)
            {
                quality.Merge(QualityDocument.Parse(q));
            }
        }

        var versions = new List<VersionFigures>();
        var served = new VersionSketch();
        VersionSketch? dominant = null;
        string? dominantName = null;
        foreach (var (version, v) in sketch.Versions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var versionQuality = quality.Versions.TryGetValue(version, out var qs) ? Quality(qs, quality.Classes.GetValueOrDefault(version) ?? []) : null;
            versions.Add(new VersionFigures(version, v.Role, v.Requests, v.Errors, Rate(v.Errors, v.Requests), Latency(v.Latency), versionQuality));
            if (v.IsShadow)
            {
                continue;
            }

            if (dominant is null || v.Requests > dominant.Requests)
            {
                dominant = v;
                dominantName = version;
            }
        }

        // Endpoint totals leave shadow copies out; drift compares the live and canary traffic that
        // shares the busiest version's reference with that reference.
        foreach (var v in sketch.Versions.Values.Where(v => !v.IsShadow && v.Reference == dominant?.Reference))
        {
            served.Merge(v);
        }

        var latency = new long[LatencyBuckets.Count];
        long traffic = 0, errors = 0;
        var overallQuality = new QualitySketch { Task = "binary" };
        var classes = new List<string>();
        foreach (var (version, v) in sketch.Versions.Where(p => !p.Value.IsShadow))
        {
            traffic += v.Requests;
            errors += v.Errors;
            for (var i = 0; i < latency.Length; i++)
            {
                latency[i] += v.Latency[i];
            }

            if (quality.Versions.TryGetValue(version, out var qs))
            {
                overallQuality.Task = qs.Task;
                overallQuality.Merge(qs);
                if (version == dominantName && quality.Classes.TryGetValue(version, out var cs))
                {
                    classes = cs;
                }
            }
        }

        DriftFigures? drift = null;
        ColumnDriftFigures? predictionDrift = null;
        if (dominantName is not null)
        {
            var reference = await ReferenceAsync(dominantName, settings?.Reference, cancellationToken).ConfigureAwait(false);
            var options = DriftSettings.FromStored(settings?.Drift);
            (drift, predictionDrift) = SketchDrift.Compare(reference, served, options);
        }

        return new MonitoringWindowFigures(
            start, end, traffic, errors, Rate(errors, traffic), Latency(latency), drift, predictionDrift,
            overallQuality.Labeled > 0 ? Quality(overallQuality, classes) : null, versions);
    }

    private static QualityFigures? Quality(QualitySketch sketch, IReadOnlyList<string> classes) =>
        sketch.Labeled == 0 ? null : new QualityFigures(sketch.Labeled, sketch.Metrics(classes));

    private static double? Rate(long part, long total) => total == 0 ? null : part / (double)total;

    private static LatencyFigures? Latency(long[] counts) =>
        counts.Sum() == 0 ? null : new LatencyFigures(
            LatencyBuckets.Quantile(counts, 0.5) / 1000, LatencyBuckets.Quantile(counts, 0.95) / 1000, LatencyBuckets.Quantile(counts, 0.99) / 1000);
}
