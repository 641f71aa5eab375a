namespace Keel.Core.Registry;

/// <summary>Where a model URI's artifacts live, and the registry version it named (null for <c>runs:/</c>).</summary>
/// <param name="ArtifactUri">The URI of the model directory, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</param>
/// <param name="Version">The version a <c>models:/</c> URI named; null for <c>runs:/</c>.</param>
public sealed record ResolvedModel(string ArtifactUri, ModelVersion? Version);
