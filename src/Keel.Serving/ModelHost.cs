using System.Collections.Concurrent;
using System.Diagnostics;
using Keel.Core.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.ML.Data;
using Keel.ML.Repository;

namespace Keel.Serving;

/// <summary>
/// Loads models by URI once and keeps them warm. A URI is resolved when first loaded (an alias is
/// pinned to the version it named then: moving the alias later is a new deployment, not a silent
/// swap). A failed load is not remembered, so a fixed package can be retried.
/// </summary>
internal sealed class ModelHost
{
    private readonly ModelRepository _repository;
    private readonly ServingMetrics _metrics;
    private readonly ConcurrentDictionary<string, Lazy<Task<HostedModel>>> _models = new(StringComparer.Ordinal);

    public ModelHost(ITrackingStore tracking, IModelRegistryStore registry, IArtifactStore artifacts, string cacheDirectory, ServingMetrics metrics)
    {
        _metrics = metrics;
        _repository = new ModelRepository(tracking, registry, artifacts, cacheDirectory);
    }

    /// <summary>The loaded model, loading it on first use.</summary>
    public async Task<HostedModel> LoadAsync(string modelUri, CancellationToken cancellationToken)
    {
        var lazy = _models.GetOrAdd(modelUri, uri => new Lazy<Task<HostedModel>>(() => LoadCoreAsync(uri)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<HostedModel>>>(modelUri, lazy));
            throw;
        }
    }

    /// <summary>A model already loaded by <see cref="LoadAsync"/>, or null.</summary>
    public HostedModel? Find(string modelUri) =>
        _models.TryGetValue(modelUri, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null;

    /// <summary>
    /// Scores one synthetic row before the model takes traffic, so first-call costs (JIT, runtime
    /// session set-up) are not paid by a caller, nor counted against a challenger's p99.
    /// </summary>
    private static void WarmUp(Keel.ML.IModel model)
    {
        if (model.InputColumns.Count == 0)
        {
            return;
        }

        try
        {
            var columns = model.InputColumns.Select((c, i) => c.Type switch
            {
                "string" => BatchColumn.Of(c.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), new string?[] { string.Empty }),
                "boolean" => BatchColumn.Of(c.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { false }),
                "long" or "integer" => BatchColumn.Of(c.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { 0L }),
                _ => BatchColumn.Of(c.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { 0.0 }),
            });
            model.Predict(new ColumnBatch(columns));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A model that cannot score a row of zeros still serves real requests; warming is best effort.
        }
    }

    private async Task<HostedModel> LoadCoreAsync(string uri)
    {
        var started = Stopwatch.GetTimestamp();
        // Resolved once: the version reported is the one whose package was loaded.
        var loaded = await _repository.LoadAsync(uri, CancellationToken.None).ConfigureAwait(false);
        WarmUp(loaded.Model);
        _metrics.ModelLoaded(uri, Stopwatch.GetElapsedTime(started));
        var version = loaded.Resolved.Version is { } v ? $"{v.Name}/{v.Version}" : uri;
        return new HostedModel(uri, version, loaded.Model);
    }
}
