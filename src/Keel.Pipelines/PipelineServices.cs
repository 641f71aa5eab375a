using Keel.Application;
using Keel.Application.Data;
using Keel.Core.Artifacts;
using Keel.ML.Repository;

namespace Keel.Pipelines;

/// <summary>
/// What the built-in step types work with, filled in by the process that runs steps (<c>keel server</c>
/// in process, <c>keel worker</c>, the CLI on the embedded store).
/// </summary>
/// <param name="Tracking">Runs, metrics, artifacts' metadata.</param>
/// <param name="Registry">Registered models and versions.</param>
/// <param name="Datasets">Versioned datasets.</param>
/// <param name="Artifacts">The artifact store (model files, reports).</param>
/// <param name="Models">Logs, registers, downloads and loads models.</param>
/// <param name="Data">Dataset content: add, get, validate.</param>
/// <param name="Serving">Endpoints and rollouts; null where this process cannot change them (deploy steps then fail with a clear message).</param>
/// <param name="CacheDirectory">Where local copies of inputs go.</param>
/// <param name="Materializer">Builds the feature materializer; null where this process has no feature store (materialize steps then fail with a clear message).</param>
public sealed record PipelineServices(
    TrackingService Tracking,
    RegistryService Registry,
    DatasetService Datasets,
    IArtifactStore Artifacts,
    ModelRepository Models,
    DatasetWorkflow Data,
    ServingService? Serving,
    string CacheDirectory,
    Func<Keel.Application.Features.Materializer>? Materializer = null);
