using System.Collections.Concurrent;
using Keel.ML.Manifest;

namespace Keel.ML;

/// <summary>
/// Loaded models keyed by directory and the manifest's model_uuid, so a directory overwritten with a
/// new model is reloaded while repeated calls share one loaded instance. Thread-safe; loads once
/// per key even under concurrent first calls.
/// </summary>
public sealed class ModelCache : IDisposable
{
    private readonly ConcurrentDictionary<(string Directory, string Uuid), Lazy<IModel>> _models = new();

    /// <summary>Returns the loaded model for the directory, loading it on first use.</summary>
    public IModel Get(string directory)
    {
        var full = Path.GetFullPath(directory);
        var uuid = ModelManifest.Load(full).ModelUuid;
        var key = (full, uuid);
        var lazy = _models.GetOrAdd(key, k => new Lazy<IModel>(() => ModelLoader.Load(k.Directory), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache a failure: the directory may be fixed and retried.
            _models.TryRemove(new KeyValuePair<(string, string), Lazy<IModel>>(key, lazy));
            throw;
        }
    }

    /// <summary>Number of models currently held.</summary>
    public int Count => _models.Count;

    /// <summary>Disposes every loaded model.</summary>
    public void Dispose()
    {
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _models.Clear();
    }
}
