namespace Keel.Core.Serving;

/// <summary>
/// The live side of endpoints, as the serving use cases see it. A change is prepared (every model
/// the new state routes to is loaded and warm) before it is stored, and applied (traffic switches)
/// only after it is stored, so a version that fails to load never takes traffic.
/// </summary>
public interface IServingRuntime
{
    /// <summary>Loads every model <paramref name="endpoint"/> routes to; throws when one fails to load.</summary>
    Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Switches live traffic to <paramref name="endpoint"/>'s routes atomically.</summary>
    void Apply(Endpoint endpoint);

    /// <summary>Stops serving an endpoint.</summary>
    void Remove(string name);
}
