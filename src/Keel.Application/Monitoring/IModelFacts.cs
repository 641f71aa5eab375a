namespace Keel.Application.Monitoring;

/// <summary>Reads monitoring's facts from a model version's package (implemented where packages are read).</summary>
public interface IModelFacts
{
    /// <summary>The facts of a registered model version, or <see cref="ModelFacts.Unknown"/> when its package says nothing.</summary>
    /// <param name="modelName">The registered model.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ModelFacts> ForVersionAsync(string modelName, string version, CancellationToken cancellationToken);
}
