namespace Keel.Core.Lineage;

/// <summary>A link from what was used to what was made of it (data flows from <paramref name="From"/> to <paramref name="To"/>).</summary>
/// <param name="From">The upstream node's id.</param>
/// <param name="To">The downstream node's id.</param>
/// <param name="Relation">input (dataset → run), produced (run → model), serves (model → endpoint).</param>
public sealed record LineageEdge(string From, string To, string Relation);
