namespace Keel.Training;

/// <summary>How a feature column is turned into numbers.</summary>
internal enum ColumnRole
{
    /// <summary>Parsed as a float; missing values replaced by the training mean.</summary>
    Numeric,

    /// <summary>One-hot encoded (few distinct values).</summary>
    OneHot,

    /// <summary>Hashed one-hot (many distinct values), so the width stays bounded.</summary>
    Hashed,

    /// <summary>Free text: word and character n-grams.</summary>
    Text,
}
