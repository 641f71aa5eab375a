namespace Keel.Core.Search;

/// <summary>What a filter term or order-by key refers to.</summary>
public enum SearchEntity
{
    Metric,
    Param,
    Tag,
    Attribute,
    Dataset,
}
