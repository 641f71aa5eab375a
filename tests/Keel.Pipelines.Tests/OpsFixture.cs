using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Application;
using Keel.Application.Data;
using Keel.Application.Pipelines;
using Keel.Artifacts;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Serving;
using Keel.ML.Repository;
using Keel.Storage.Sqlite;

namespace Keel.Pipelines.Tests;

/// <summary>
/// A temp data dir with real SQLite stores and local artifacts, the services step types get over
/// them, and a serving runtime that records what it is asked to serve. Deleted on dispose.
/// </summary>
internal sealed class OpsFixture : IAsyncDisposable
{
    public OpsFixture(bool serving = true)
    {
        Root = Directory.CreateTempSubdirectory("keel-pipeline-ops-").FullName;
        var db = Path.Combine(Root, "keel.db");
        TrackingStore = new SqliteTrackingStore(db);
        RegistryStore = new SqliteModelRegistryStore(db);
        DatasetStore = new SqliteDatasetStore(db);
        ServingStore = new SqliteServingStore(db);
        Artifacts = new LocalArtifactStore(Path.Combine(Root, "artifacts"));
        Tracking = new TrackingService(TrackingStore);
        Registry = new RegistryService(RegistryStore, TrackingStore);
        var datasets = new DatasetService(DatasetStore, Artifacts);
        Data = new DatasetWorkflow(datasets, Artifacts, Path.Combine(Root, "cache"));
        Models = new ModelRepository(TrackingStore, RegistryStore, Artifacts, Path.Combine(Root, "model-cache"));
        Serving = new ServingService(ServingStore, Runtime, null, new RegistryModelPinner(RegistryStore));
        Services = new PipelineServices(Tracking, Registry, datasets, Artifacts, Models, Data, serving ? Serving : null, Path.Combine(Root, "cache"));
    }

    public string Root { get; }

    public SqliteTrackingStore TrackingStore { get; }

    public SqliteModelRegistryStore RegistryStore { get; }

    public SqliteDatasetStore DatasetStore { get; }

    public SqliteServingStore ServingStore { get; }

    public LocalArtifactStore Artifacts { get; }

    public TrackingService Tracking { get; }

    public RegistryService Registry { get; }

    public DatasetWorkflow Data { get; }

    public ModelRepository Models { get; }

    public ServingService Serving { get; }

    public RecordingRuntime Runtime { get; } = new();

    public PipelineServices Services { get; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>A step definition from JSON parameters.</summary>
    public static StepDefinition Step(
        string type, string parameters, IReadOnlyDictionary<string, string>? inputs = null, IReadOnlyDictionary<string, PipelineValueKind>? outputs = null, string name = "s")
    {
        using var doc = JsonDocument.Parse(parameters);
        return new StepDefinition(name, type, doc.RootElement.Clone(), inputs ?? new Dictionary<string, string>(), outputs ?? new Dictionary<string, PipelineValueKind>(), []);
    }

    /// <summary>A context for running <paramref name="step"/> as try <paramref name="attempt"/> of pipeline run 7.</summary>
    public StepContext Context(StepDefinition step, string? mlflowRunId, IReadOnlyDictionary<string, string>? inputs = null, IReadOnlyDictionary<string, string>? parameters = null, int attempt = 1) =>
        new(7, "demo", step, step.Params, inputs ?? step.Inputs, parameters ?? new Dictionary<string, string>(), mlflowRunId, attempt, Path.Combine(Root, "work", "7", step.Name), Log.Enqueue);

    /// <summary>A new MLflow run for a step.</summary>
    public async Task<string> RunAsync()
    {
        var experiment = await Tracking.CreateExperimentAsync("pipelines/demo-" + Guid.NewGuid().ToString("N")[..6], null, null);
        return (await Tracking.CreateRunAsync(experiment, "keel", "step", null, null)).Info.RunId;
    }

    /// <summary>Logs a tiny model package to a new run; returns its runs:/ URI.</summary>
    public async Task<string> LogModelAsync()
    {
        var run = await RunAsync();
        var dir = Directory.CreateDirectory(Path.Combine(Root, "pkg-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "MLmodel"), "flavors:\n  python_function:\n    loader_module: keel\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "model.bin"), "weights");
        return (await Models.LogModelAsync(run, dir)).ModelUri;
    }

    /// <summary>Writes a /bin/sh script (run as /bin/sh SCRIPT).</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Data.DisposeAsync();
        TrackingStore.Dispose();
        RegistryStore.Dispose();
        DatasetStore.Dispose();
        ServingStore.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checkouts are read-only; a leftover temp dir is harmless.
        }
    }

    /// <summary>Serves nothing; records what it was asked to serve.</summary>
    internal sealed class RecordingRuntime : IServingRuntime
    {
        public ConcurrentQueue<Endpoint> Applied { get; } = new();

        public Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Apply(Endpoint endpoint) => Applied.Enqueue(endpoint);

        public void Remove(string name)
        {
        }
    }
}
