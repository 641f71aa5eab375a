namespace Keel.Core.Search;

/// <summary>The operator of a filter term.</summary>
public enum Comparator
{
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary>SQL LIKE, case-sensitive; <c>%</c> and <c>_</c> are wildcards.</summary>
    Like,
    /// <summary>SQL LIKE, case-insensitive.</summary>
    ILike,
    /// <summary><c>IN (...)</c>: the value is one of a list.</summary>
    In,
    /// <summary><c>NOT IN (...)</c>.</summary>
    NotIn,
    /// <summary><c>IS NULL</c>: the key is absent.</summary>
    IsNull,
    /// <summary><c>IS NOT NULL</c>: the key is present.</summary>
    IsNotNull,
}
