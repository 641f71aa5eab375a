using Keel.Application;
using Keel.Artifacts;
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
        Tracking = new TrackingService(Store);
        Artifacts = new LocalArtifactStore(Path.Combine(Root, "artifacts"));
    }

    public string Root { get; }

    public SqliteTrackingStore Store { get; }

    public TrackingService Tracking { get; }

    public LocalArtifactStore Artifacts { get; }

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public TrainingRunner Runner(IModelRegistrar? registrar = null) => new(Tracking, Artifacts, registrar);

    /// <summary>The local directory of a run's artifact path.</summary>
    public string ArtifactPath(Run run, string relative) =>
        Path.Combine(Root, "artifacts", run.Info.ArtifactUri["mlflow-artifacts:/".Length..], relative);

    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
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
