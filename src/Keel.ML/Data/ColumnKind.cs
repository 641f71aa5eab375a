namespace Keel.ML.Data;

/// <summary>The element type of a <see cref="BatchColumn"/>.</summary>
public enum ColumnKind
{
    /// <summary><see cref="double"/>; missing values are NaN.</summary>
    Double,

    /// <summary><see cref="float"/>; missing values are NaN.</summary>
    Float,

    /// <summary><see cref="long"/>.</summary>
    Long,

    /// <summary><see cref="string"/>; missing values are null.</summary>
    String,

    /// <summary><see cref="bool"/>.</summary>
    Bool,
}
