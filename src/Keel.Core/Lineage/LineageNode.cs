namespace Keel.Core.Lineage;

/// <summary>One thing in a lineage graph: a dataset version, a run, a model version or an endpoint.</summary>
/// <param name="Id">Its canonical URI, unique in the graph (<c>datasets:/iris/2</c>, <c>runs:/abc</c>, <c>models:/churn/3</c>, <c>endpoints:/churn</c>); an outside dataset is named by its source.</param>
/// <param name="Kind">dataset, run, model or endpoint.</param>
/// <param name="Label">A short name for people.</param>
/// <param name="Attributes">What else is known: digest, status, stage, route weight...</param>
public sealed record LineageNode(string Id, string Kind, string Label, IReadOnlyDictionary<string, string> Attributes);
