namespace Keel.ML.Repository;

/// <summary>
/// Registers a trained model under a name. The model registry implements it; training only
/// depends on this port so it can ship before (and independently of) the registry.
/// </summary>
public interface IModelRegistrar
{
    /// <summary>Creates the registered model if needed and a new version from <paramref name="source"/>; returns the version.</summary>
    /// <param name="name">Registered model name.</param>
    /// <param name="source">Artifact URI of the model directory, e.g. <c>mlflow-artifacts:/1/abc/artifacts/model</c>.</param>
    /// <param name="runId">The run that produced the model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<string> RegisterAsync(string name, string source, string runId, CancellationToken cancellationToken);
}
