using Keel.Core.Registry;

namespace Keel.ML.Repository;

/// <summary>A model loaded by URI, with what the URI resolved to when it was loaded.</summary>
/// <param name="Resolved">Where the package was read from and, for <c>models:/</c>, the version the URI named then.</param>
/// <param name="Model">The loaded model, owned by the repository's model cache (not disposed by the caller).</param>
public sealed record LoadedModel(ResolvedModel Resolved, IModel Model);
