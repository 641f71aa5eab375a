namespace Keel.Core.Serving;

/// <summary>
/// Pins a moving model reference (<c>models:/m@champion</c>, <c>models:/m/Production</c>,
/// <c>models:/m/latest</c>) to the immutable version it names now (<c>models:/m/7</c>), when a change
/// is prepared; the pinned URI is what gets stored and served on every replica.
/// </summary>
public interface IModelPinner
{
    /// <summary>A pinner that keeps every URI as given (for tests and stores without a registry).</summary>
    static IModelPinner AsGiven { get; } = new Identity();

    /// <summary>The immutable URI <paramref name="modelUri"/> names now; <c>runs:/</c> and version URIs come back unchanged.</summary>
    /// <param name="modelUri">A validated model URI.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model, version, alias or a stage with no version.</exception>
    Task<string> PinAsync(string modelUri, CancellationToken cancellationToken);

    private sealed class Identity : IModelPinner
    {
        public Task<string> PinAsync(string modelUri, CancellationToken cancellationToken) => Task.FromResult(modelUri);
    }
}
