using Keel.Application;
using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Keel.Storage.Sqlite;

namespace Keel.Training.Tests;

/// <summary>A temp data dir with a SQLite tracking store and local artifacts, deleted on dispose.</summary>
internal sealed class TrainingFixture : IDisposable
{
    public TrainingFixture()
    {
        Root = Directory.CreateTempSubdirectory("keel-training-tests-").FullName;
        Store = new SqliteTrackingStore(Path.Combine(Root, "keel.db"));
        Registry = new SqliteModelRegistryStore(Path.Combine(Root, "keel.db"));
        Tracking = new TrackingService(Store);
        Artifacts = new LocalArtifactStore(Path.Combine(Root, "artifacts"));
        Models = new ModelRepository(Store, Registry, Artifacts, Path.Combine(Root, "model-cache"));
    }

    public string Root { get; }

    public SqliteTrackingStore Store { get; }

    public SqliteModelRegistryStore Registry { get; }

    public TrackingService Tracking { get; }

    public ModelRepository Models { get; }

    public LocalArtifactStore Artifacts { get; }

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public TrainingRunner Runner() => new(Tracking, Artifacts, Models);

    /// <summary>The local directory of a run's artifact path.</summary>
    public string ArtifactPath(Run run, string relative) =>
        Path.Combine(Root, "artifacts", ArtifactUri.ProxyPathOf(run.Info.ArtifactUri), relative);

    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
        Registry.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
            // A leftover temp dir is not worth failing a test over.
        }
    }
}
