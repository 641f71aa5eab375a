using Keel.Core.Data;
using Keel.Core.Features;
using Keel.Core.Governance;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;

namespace Keel.Core.Backends;

/// <summary>
/// Every metadata store on one backend database, opened together so they share one connection
/// pool (PostgreSQL) or one database object (a SQLite file). Disposing it closes them all.
/// </summary>
public interface IMetadataBackend : IAsyncDisposable
{
    /// <summary>Where the data lives, for messages: never a password.</summary>
    string Description { get; }

    /// <summary>True when other processes and machines can use the same database at once (PostgreSQL), false for an embedded file.</summary>
    bool Shared { get; }

    /// <summary>Experiments, runs and their data.</summary>
    ITrackingStore Tracking { get; }

    /// <summary>Registered models and their versions.</summary>
    IModelRegistryStore Registry { get; }

    /// <summary>Serving endpoints, their change feed, leases and rollout statistics.</summary>
    IServingStore Serving { get; }

    /// <summary>Versioned datasets, their aliases and audit events.</summary>
    IDatasetStore Datasets { get; }

    /// <summary>Monitoring buckets, the prediction index, delayed labels and monitoring settings.</summary>
    IMonitoringStore Monitoring { get; }

    /// <summary>The job queue workers take work from.</summary>
    IJobQueue Jobs { get; }

    /// <summary>Alert rules, alerts, their event feed, webhook outbox and delivery log.</summary>
    IAlertStore Alerts { get; }

    /// <summary>Pipelines, their runs and steps, step logs, the step cache and the scheduler's trigger state.</summary>
    IPipelineStore Pipelines { get; }

    /// <summary>Users, API tokens, MLflow permissions, groups and environment role bindings.</summary>
    IGovernanceStore Governance { get; }

    /// <summary>The tamper-evident, hash-chained audit log of every change.</summary>
    IAuditLog Audit { get; }

    /// <summary>Environment policies, which environment each resource is in, and approvals.</summary>
    IEnvironmentStore Environments { get; }

    /// <summary>The feature registry: definitions with every version, and materialization watermarks.</summary>
    IFeatureRegistry Features { get; }
}
