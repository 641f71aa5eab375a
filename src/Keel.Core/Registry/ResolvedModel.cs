namespace Keel.Core.Registry;

/// <summary>Where a model URI's artifacts live, and the registry version it named (null for <c>runs:/</c>).</summary>
public sealed record ResolvedModel(string ArtifactUri, ModelVersion? Version);
