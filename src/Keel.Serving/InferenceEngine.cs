using System.Diagnostics;
using Keel.Core.Errors;
using Keel.ML;
using Keel.ML.Data;
using Keel.Serving.Logging;

namespace Keel.Serving;

/// <summary>
/// The hot path: find the endpoint's current routing table, admit the request under the endpoint's
/// concurrency limit, pick a variant, score, count, queue the log record and hand a copy to the
/// shadow. No locks: the table is read once per request and everything it counts is Interlocked.
/// </summary>
public sealed class InferenceEngine
{
    private readonly ServingRuntime _runtime;
    private readonly PredictionLog _log;
    private readonly ServingMetrics _metrics;
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private int _shadowInFlight;

    internal InferenceEngine(ServingRuntime runtime, PredictionLog log, ServingMetrics metrics, ServingOptions options, TimeProvider time)
    {
        _runtime = runtime;
        _log = log;
        _metrics = metrics;
        _options = options;
        _time = time;
    }

    internal RoutingTable Resolve(string name) =>
        _runtime.Find(name) ?? throw new KeelException(ErrorCode.EndpointNotFound, $"Endpoint '{name}' does not exist or is not loaded.");

    /// <summary>Admits a request or throws 429; the caller must call <see cref="ConcurrencyGate.Exit"/>.</summary>
    internal void Enter(RoutingTable table)
    {
        if (!table.Gate.TryEnter())
        {
            _metrics.Rejected.WithLabels(table.Name, "429").Inc();
            throw new KeelException(ErrorCode.RequestLimitExceeded, $"Endpoint '{table.Name}' is at its limit of {table.Gate.Limit} concurrent requests; retry shortly.");
        }
    }

    /// <summary>Throws 413 when the batch has more rows than the endpoint allows.</summary>
    internal void CheckSize(RoutingTable table, int rows)
    {
        if (rows > table.Endpoint.Limits.MaxBatchRows)
        {
            _metrics.Rejected.WithLabels(table.Name, "413").Inc();
            throw new KeelException(ErrorCode.PayloadTooLarge, $"The request has {rows} rows; endpoint '{table.Name}' accepts at most {table.Endpoint.Limits.MaxBatchRows}.");
        }
    }

    /// <summary>Picks the variant: by the sticky key's hash in A/B mode, else at random by weight.</summary>
    /// <param name="table">The endpoint's routing table.</param>
    /// <param name="batch">The request's rows; a sticky field is read from its first row.</param>
    /// <param name="headers">The request's headers, handed back to <paramref name="header"/>.</param>
    /// <param name="header">Looks a header up by name (null when absent); static, so no closure per request.</param>
    internal static Variant Choose<THeaders>(RoutingTable table, ColumnBatch batch, THeaders headers, Func<THeaders, string, string?> header)
    {
        if (table.Live.Length == 1)
        {
            return table.Live[0];
        }

        if (table.IsSticky && StickyKey(table, batch, headers, header) is { Length: > 0 } key)
        {
            return table.Select(StickyHash.Bucket(key));
        }

        return table.Select(Random.Shared.Next(StickyHash.Buckets));
    }

    private static string? StickyKey<THeaders>(RoutingTable table, ColumnBatch batch, THeaders headers, Func<THeaders, string, string?> header)
    {
        if (table.StickyHeader is { } name)
        {
            return header(headers, name);
        }

        return table.StickyField is { } field && batch.Find(field) is { RowCount: > 0 } column
            ? Convert.ToString(column.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Scores a batch on a variant; counts and logs it either way, then sends the shadow copy.</summary>
    internal PredictionResult Predict(RoutingTable table, Variant variant, ColumnBatch batch, string requestId)
    {
        var started = Stopwatch.GetTimestamp();
        PredictionResult result;
        try
        {
            result = variant.Model.Model.Predict(batch);
        }
        catch (Exception e)
        {
            var micros = ElapsedMicros(started);
            variant.Live.Record(micros, error: true);
            variant.Step.Record(micros, error: true);
            (e is KeelException { HttpStatus: < 500 } ? variant.Metrics.ClientErrors : variant.Metrics.ServerErrors).Inc();
            Log(table, variant, batch, null, requestId, micros, e.Message);
            throw;
        }

        var elapsed = ElapsedMicros(started);
        variant.Live.Record(elapsed, error: false);
        variant.Step.Record(elapsed, error: false);
        variant.Metrics.Requests.Inc();
        variant.Metrics.Latency.Observe(elapsed / 1e6);
        SamplePredictions(variant, result);
        Log(table, variant, batch, result, requestId, elapsed, null);
        if (table.Shadow is { } shadow)
        {
            SendShadow(table, shadow, batch, requestId);
        }

        return result;
    }

    private void SendShadow(RoutingTable table, Variant shadow, ColumnBatch batch, string requestId)
    {
        if (Interlocked.Increment(ref _shadowInFlight) > _options.MaxShadowInFlight)
        {
            Interlocked.Decrement(ref _shadowInFlight);
            _metrics.ShadowDropped.WithLabels(table.Name).Inc();
            return;
        }

        // The copy runs on the thread pool after the answer is on its way; its outcome is only counted and logged.
        ThreadPool.UnsafeQueueUserWorkItem(
            static s =>
            {
                try
                {
                    s.Engine.PredictShadow(s.Table, s.Shadow, s.Batch, s.RequestId);
                }
                finally
                {
                    Interlocked.Decrement(ref s.Engine._shadowInFlight);
                }
            },
            new ShadowWork(this, table, shadow, batch, requestId),
            preferLocal: false);
    }

    private void PredictShadow(RoutingTable table, Variant shadow, ColumnBatch batch, string requestId)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = shadow.Model.Model.Predict(batch);
            var micros = ElapsedMicros(started);
            shadow.Live.Record(micros, error: false);
            shadow.Step.Record(micros, error: false);
            shadow.Metrics.Requests.Inc();
            shadow.Metrics.Latency.Observe(micros / 1e6);
            SamplePredictions(shadow, result);
            Log(table, shadow, batch, result, requestId, micros, null);
        }
        catch (Exception e)
        {
            var micros = ElapsedMicros(started);
            shadow.Live.Record(micros, error: true);
            shadow.Step.Record(micros, error: true);
            shadow.Metrics.ServerErrors.Inc();
            Log(table, shadow, batch, null, requestId, micros, e.Message);
        }
    }

    private static void SamplePredictions(Variant variant, PredictionResult result)
    {
        if (result.Prediction is not { } prediction)
        {
            return;
        }

        var rows = Math.Min(result.RowCount, 16);
        for (var i = 0; i < rows; i++)
        {
            var value = JsonValues.AsDouble(prediction.Column, i);
            variant.Step.Sample(value);
            variant.Live.Sample(value);
        }
    }

    private void Log(RoutingTable table, Variant variant, ColumnBatch batch, PredictionResult? result, string requestId, long micros, string? error)
    {
        if (!_log.ShouldSample())
        {
            return;
        }

        _log.TryAppend(new PredictionRecord(
            _time.GetUtcNow().ToUnixTimeMilliseconds(), requestId, table.Name, variant.Version, variant.Route.Role == Core.Serving.RouteRole.Shadow ? "shadow" : "live",
            micros, batch, result, error, table.Endpoint.SensitiveColumns));
    }

    private static long ElapsedMicros(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

    private sealed record ShadowWork(InferenceEngine Engine, RoutingTable Table, Variant Shadow, ColumnBatch Batch, string RequestId);
}
