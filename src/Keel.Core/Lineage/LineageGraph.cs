namespace Keel.Core.Lineage;

/// <summary>What a thing was made from (upstream) and what was made from it (downstream).</summary>
/// <param name="Root">The id of the node asked about.</param>
/// <param name="Nodes">Every node reached, the root first.</param>
/// <param name="Edges">Every link between them, upstream to downstream.</param>
public sealed record LineageGraph(string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges);
