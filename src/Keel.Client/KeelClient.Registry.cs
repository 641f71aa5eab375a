using Keel.Core.Registry;

namespace Keel.Client;

// Friendly registry methods for scripts, on top of the IModelRegistryStore implementation.
public sealed partial class KeelClient
{
    /// <summary>
    /// Registers <paramref name="source"/> as the next version of <paramref name="name"/>, creating the
    /// registered model first when it does not exist (as <c>mlflow.register_model</c> does).
    /// </summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="source">Where the model files are: <c>runs:/&lt;run&gt;/&lt;path&gt;</c> or an artifact URI the server accepts.</param>
    /// <param name="runId">The run that produced it, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="Core.Errors.KeelException">INVALID_PARAMETER_VALUE for a bad name or a source the server refuses.</exception>
    public async Task<ModelVersion> RegisterModelAsync(string name, string source, string? runId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await CreateRegisteredModelAsync(name, [], null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Core.Errors.KeelException e) when (e.Code == Core.Errors.ErrorCode.ResourceAlreadyExists)
        {
            // Registering another version of an existing model is the common case.
        }

        return await CreateModelVersionAsync(new NewModelVersion(name, source, runId, [], null, null, null), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points <paramref name="alias"/> (e.g. <c>champion</c>) at a version of a model.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias; not <c>latest</c> and not version-like (<c>v1</c>).</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version; INVALID_PARAMETER_VALUE for a reserved alias.</exception>
    public Task SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken = default) =>
        SetAliasAsync(name, alias, version, null, cancellationToken);

    /// <summary>Resolves <c>models:/name/1</c>, <c>models:/name@alias</c>, <c>models:/name/Production</c> or <c>runs:/id/path</c> to its artifact URI.</summary>
    /// <param name="uri">The model URI.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">INVALID_PARAMETER_VALUE for a malformed URI; RESOURCE_DOES_NOT_EXIST for what it names not existing.</exception>
    public Task<ResolvedModel> ResolveModelUriAsync(string uri, CancellationToken cancellationToken = default) =>
        ModelUriResolver.ResolveAsync(this, this, uri, cancellationToken);
}
