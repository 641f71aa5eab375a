namespace Keel.Core.Lineage;

/// <summary>Which way to follow lineage from a node.</summary>
public enum LineageDirection
{
    /// <summary>Both ways: what it came from and what came of it.</summary>
    Both,

    /// <summary>What it was made from.</summary>
    Upstream,

    /// <summary>What was made from it.</summary>
    Downstream,
}
