namespace Keel.Core.Registry;

/// <summary>
/// A registry entity as an audit event saw it: a registered model or one model version (exactly
/// one of the two is set).
/// </summary>
/// <param name="Model">The registered model, for model-level changes (renames, tags, aliases).</param>
/// <param name="Version">The model version, for version-level changes (creation, stage, tags).</param>
public sealed record RegistrySnapshot(RegisteredModel? Model, ModelVersion? Version)
{
    /// <summary>A snapshot of a registered model.</summary>
    /// <param name="model">The model as it was.</param>
    public static RegistrySnapshot Of(RegisteredModel model) => new(model, null);

    /// <summary>A snapshot of a model version.</summary>
    /// <param name="version">The version as it was.</param>
    public static RegistrySnapshot Of(ModelVersion version) => new(null, version);
}
