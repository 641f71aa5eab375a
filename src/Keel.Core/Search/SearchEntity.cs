namespace Keel.Core.Search;

/// <summary>What a filter term or order-by key refers to.</summary>
public enum SearchEntity
{
    /// <summary><c>metrics.</c>: a run's latest metric value.</summary>
    Metric,
    /// <summary><c>params.</c></summary>
    Param,
    /// <summary><c>tags.</c></summary>
    Tag,
    /// <summary><c>attributes.</c> (or no prefix): a field of the entity itself.</summary>
    Attribute,
    /// <summary><c>datasets.</c>: a run's dataset inputs.</summary>
    Dataset,
}
