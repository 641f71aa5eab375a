using Keel.Core.Backends;
using Keel.Core.Data;
using Keel.Core.Governance;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;

namespace Keel.Storage.Sqlite;

/// <summary>Every store on one SQLite file; they share its <see cref="SqliteDatabase"/>.</summary>
internal sealed class SqliteMetadataBackend : IMetadataBackend
{
    private readonly SqliteTrackingStore _tracking;
    private readonly SqliteModelRegistryStore _registry;
    private readonly SqliteServingStore _serving;
    private readonly SqliteJobQueue _jobs;
    private readonly SqliteDatasetStore _datasets;
    private readonly SqliteMonitoringStore _monitoring;
    private readonly SqliteAlertStore _alerts;
    private readonly SqlitePipelineStore _pipelines;
    private readonly SqliteGovernanceStore _governance;
    private readonly SqliteAuditLog _audit;
    private readonly SqliteEnvironmentStore _environments;
    private readonly SqliteFeatureRegistry _features;

    public SqliteMetadataBackend(string databasePath, string defaultArtifactRoot)
    {
        // The tracking store opens the file first, so a new database's Default experiment gets this root.
        _tracking = new SqliteTrackingStore(databasePath, defaultArtifactRoot);
        _registry = new SqliteModelRegistryStore(databasePath);
        _serving = new SqliteServingStore(databasePath);
        _jobs = new SqliteJobQueue(databasePath);
        _datasets = new SqliteDatasetStore(databasePath);
        _monitoring = new SqliteMonitoringStore(databasePath);
        _alerts = new SqliteAlertStore(databasePath);
        _pipelines = new SqlitePipelineStore(databasePath);
        _governance = new SqliteGovernanceStore(databasePath);
        _audit = new SqliteAuditLog(databasePath);
        _environments = new SqliteEnvironmentStore(databasePath);
        _features = new SqliteFeatureRegistry(databasePath);
        Description = databasePath;
    }

    public string Description { get; }

    public bool Shared => false;

    public ITrackingStore Tracking => _tracking;

    public IModelRegistryStore Registry => _registry;

    public IServingStore Serving => _serving;

    public IJobQueue Jobs => _jobs;

    public IDatasetStore Datasets => _datasets;

    public IMonitoringStore Monitoring => _monitoring;

    public IAlertStore Alerts => _alerts;

    public IPipelineStore Pipelines => _pipelines;

    public IGovernanceStore Governance => _governance;

    public Keel.Core.Governance.IAuditLog Audit => _audit;

    public IEnvironmentStore Environments => _environments;

    public Keel.Core.Features.IFeatureRegistry Features => _features;

    public ValueTask DisposeAsync()
    {
        _features.Dispose();
        _environments.Dispose();
        _audit.Dispose();
        _governance.Dispose();
        _pipelines.Dispose();
        _alerts.Dispose();
        _monitoring.Dispose();
        _datasets.Dispose();
        _jobs.Dispose();
        _serving.Dispose();
        _registry.Dispose();
        _tracking.Dispose();
        return ValueTask.CompletedTask;
    }
}
