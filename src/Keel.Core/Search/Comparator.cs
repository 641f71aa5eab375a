namespace Keel.Core.Search;

public enum Comparator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    /// <summary>SQL LIKE, case-sensitive; <c>%</c> and <c>_</c> are wildcards.</summary>
    Like,
    /// <summary>SQL LIKE, case-insensitive.</summary>
    ILike,
    In,
    NotIn,
    IsNull,
    IsNotNull,
}
