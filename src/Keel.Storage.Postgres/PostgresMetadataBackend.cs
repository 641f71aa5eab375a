using Keel.Core.Backends;
using Keel.Core.Data;
using Keel.Core.Governance;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;

namespace Keel.Storage.Postgres;

/// <summary>Every store on one PostgreSQL database, over one connection pool, closed together.</summary>
internal sealed class PostgresMetadataBackend : IMetadataBackend
{
    private readonly PostgresDatabase _database;
    private readonly PostgresServingStore _serving;

    public PostgresMetadataBackend(PostgresDatabase database, string defaultArtifactRoot)
    {
        _database = database;
        Tracking = new PostgresTrackingStore(database, defaultArtifactRoot);
        Registry = new PostgresModelRegistryStore(database);
        _serving = new PostgresServingStore(database);
        Jobs = new PostgresJobQueue(database);
        Datasets = new PostgresDatasetStore(database);
        Monitoring = new PostgresMonitoringStore(database);
        Alerts = new PostgresAlertStore(database);
        Pipelines = new PostgresPipelineStore(database);
        Governance = new PostgresGovernanceStore(database);
        Audit = new PostgresAuditLog(database);
        Environments = new PostgresEnvironmentStore(database);
        Features = new PostgresFeatureRegistry(database);
    }

    public string Description => _database.Server;

    public bool Shared => true;

    public ITrackingStore Tracking { get; }

    public IModelRegistryStore Registry { get; }

    public IServingStore Serving => _serving;

    public IJobQueue Jobs { get; }

    public IDatasetStore Datasets { get; }

    public IMonitoringStore Monitoring { get; }

    public IAlertStore Alerts { get; }

    public IPipelineStore Pipelines { get; }

    public IGovernanceStore Governance { get; }

    public Keel.Core.Governance.IAuditLog Audit { get; }
    public Keel.Core.Governance.IEnvironmentStore Environments { get; }

    public Keel.Core.Features.IFeatureRegistry Features { get; }

    public async ValueTask DisposeAsync()
    {
        // The serving store's notification listener holds a connection of its own.
        _serving.Dispose();
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
