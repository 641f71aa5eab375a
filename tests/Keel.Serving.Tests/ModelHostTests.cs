using Keel.Application;
using Keel.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Keel.ML.Tests;
using Keel.Storage.Sqlite;
using Xunit;

namespace Keel.Serving.Tests;

/// <summary>A model URI is resolved once per load: one registry lookup, and the version reported is the one loaded.</summary>
public sealed class ModelHostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("keel-model-host-").FullName;
    private readonly SqliteTrackingStore _tracking;
    private readonly SqliteModelRegistryStore _registry;
    private readonly LocalArtifactStore _artifacts;

    public ModelHostTests()
    {
        _tracking = new SqliteTrackingStore(Path.Combine(_root, "keel.db"));
        _registry = new SqliteModelRegistryStore(Path.Combine(_root, "keel.db"));
        _artifacts = new LocalArtifactStore(Path.Combine(_root, "artifacts"));
    }

    [Fact]
    public async Task Loading_an_alias_looks_it_up_once_and_reports_the_version_it_loaded()
    {
        var runId = await LogModelAsync("churn");
        await _registry.SetAliasAsync("churn", "champion", 1, null);
        var (registry, registryCalls) = CallCounter<IModelRegistryStore>.Wrap(_registry);
        var (tracking, trackingCalls) = CallCounter<ITrackingStore>.Wrap(_tracking);
        var host = new ModelHost(tracking, registry, _artifacts, Path.Combine(_root, "cache"), new ServingMetrics());

        var hosted = await host.LoadAsync("models:/churn@champion", CancellationToken.None);

        Assert.Equal("churn/1", hosted.Version);
        Assert.Equal(1, registryCalls.Count(nameof(IModelRegistryStore.GetModelVersionByAliasAsync)));
        Assert.Equal(1, registryCalls.Total);
        // The version's source is its artifact location, so the run is not read at all.
        Assert.Equal(0, trackingCalls.Total);
        Assert.Equal(runId, hosted.Model.Manifest.RunId);
    }

    [Fact]
    public async Task A_runs_uri_source_reads_the_run_once()
    {
        var runId = await LogModelAsync(null);
        await new RegistryService(_registry, _tracking).RegisterModelAsync("legacy", ModelUri.ForRun(runId, "model"), runId, null);
        var (registry, registryCalls) = CallCounter<IModelRegistryStore>.Wrap(_registry);
        var (tracking, trackingCalls) = CallCounter<ITrackingStore>.Wrap(_tracking);
        var host = new ModelHost(tracking, registry, _artifacts, Path.Combine(_root, "cache"), new ServingMetrics());

        var hosted = await host.LoadAsync("models:/legacy/1", CancellationToken.None);

        Assert.Equal("legacy/1", hosted.Version);
        Assert.Equal(1, registryCalls.Total);
        Assert.Equal(1, trackingCalls.Count(nameof(ITrackingStore.GetRunAsync)));
        Assert.Equal(1, trackingCalls.Total);
    }

    public void Dispose()
    {
        _tracking.Dispose();
        _registry.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
            // A leftover temp dir is not worth failing a test over.
        }
    }

    private async Task<string> LogModelAsync(string? registeredName)
    {
        var tracking = new TrackingService(_tracking);
        var run = await tracking.CreateRunAsync(null, "test", "model-run", null, []);
        var dir = Path.Combine(_root, "package-" + Guid.NewGuid().ToString("N"));
        MlflowFixtures.WriteModelDirectory(dir, OnnxModelBuilder.LinearRegressor([1f, 2f], 0.5f), MlflowFixtures.RegressorMlModel(
            """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}]"""));
        await new ModelRepository(_tracking, _registry, _artifacts).LogModelAsync(run.Info.RunId, dir, "model", registeredName);
        return run.Info.RunId;
    }
}
