namespace Keel.Data.Tables;

/// <summary>The portable kind of a column, independent of the engine's physical type.</summary>
public enum LogicalType
{
    /// <summary>Whole numbers.</summary>
    Integer,

    /// <summary>Floating point and decimal numbers.</summary>
    Float,

    /// <summary>True/false.</summary>
    Boolean,

    /// <summary>Text, and anything with no better kind (lists, structs, blobs).</summary>
    String,

    /// <summary>Calendar dates.</summary>
    Date,

    /// <summary>Points in time (with or without a time zone).</summary>
    Timestamp,
}
