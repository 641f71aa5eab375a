using Keel.Core.Registry;

namespace Keel.Client;

// Friendly registry methods for scripts, on top of the IModelRegistryStore implementation.
public sealed partial class KeelClient
{
    /// <summary>
    /// Registers <paramref name="source"/> as the next version of <paramref name="name"/>, creating the
    /// registered model first when it does not exist (as <c>mlflow.register_model</c> does).
    /// </summary>
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
    public Task SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken = default) =>
        SetAliasAsync(name, alias, version, null, cancellationToken);

    /// <summary>Resolves <c>models:/name/1</c>, <c>models:/name@alias</c>, <c>models:/name/Production</c> or <c>runs:/id/path</c> to its artifact URI.</summary>
    public Task<ResolvedModel> ResolveModelUriAsync(string uri, CancellationToken cancellationToken = default) =>
        ModelUriResolver.ResolveAsync(this, this, uri, cancellationToken);
}
