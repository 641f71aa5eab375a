namespace Keel.Core.Serving;

/// <summary>
/// The live side of endpoints, as the serving use cases see it. A change is prepared (every model
/// the new state routes to is loaded and warm) before it is stored, and applied (traffic switches)
/// only after it is stored, so a version that fails to load never takes traffic.
/// </summary>
public interface IServingRuntime
{
    /// <summary>Loads every model <paramref name="endpoint"/> routes to and warms it; nothing changes for live traffic.</summary>
    /// <param name="endpoint">The endpoint as it is about to be stored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">The loader's error (e.g. RESOURCE_DOES_NOT_EXIST for an unknown model URI) when a model fails to load.</exception>
    Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Switches live traffic to <paramref name="endpoint"/>'s routes atomically.</summary>
    /// <param name="endpoint">The endpoint as stored; its models were prepared.</param>
    void Apply(Endpoint endpoint);

    /// <summary>Stops serving an endpoint; unknown names are ignored.</summary>
    /// <param name="name">The endpoint name.</param>
    void Remove(string name);
}
