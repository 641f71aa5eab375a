namespace Keel.Cli.Infrastructure;

/// <summary>What a table column holds, which decides how it gives way when the terminal is narrow.</summary>
internal enum ColumnKind
{
    /// <summary>A value that must never be split: an id, a state, a number, a time. The column is as wide as its longest value.</summary>
    Short,

    /// <summary>Free text that may wrap onto more lines: a description, a message, a reason.</summary>
    Text,

    /// <summary>A URI or path: shortened in the middle with "…", keeping its scheme and its tail (<c>models:/bre…cancer/3</c>).</summary>
    Uri,
}
