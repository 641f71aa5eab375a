namespace Keel.Compute.Search;

internal enum FilterTokenKind
{
    /// <summary>A possibly dotted name, e.g. <c>metrics.acc</c>, <c>tags."a b"</c>, <c>`Run name`</c>, <c>AND</c>.</summary>
    Identifier,

    /// <summary>A single-quoted literal.</summary>
    SingleQuoted,

    /// <summary>
    /// A lone double-quoted token: a string when it stands as a value, a name when it stands on
    /// the left of a comparison (MLflow follows sqlparse, where "x" is a symbol).
    /// </summary>
    DoubleQuoted,
    Number,
    Operator,
    LeftParen,
    RightParen,
    Comma,

    /// <summary>Any character the grammar has no use for, e.g. <c>;</c>; the parser reports it.</summary>
    Unknown,
    End,
}

/// <summary>One identifier part between dots; <see cref="Quoted"/> tells a quoted part from a bare one.</summary>
internal readonly record struct NamePart(string Text, bool Quoted);

/// <summary>
/// A lexed token. <see cref="Raw"/> is the source text, used in error messages; <see cref="Text"/>
/// is the unquoted, unescaped value; <see cref="Parts"/> is set for identifiers only.
/// </summary>
internal sealed record FilterToken(FilterTokenKind Kind, string Raw, string Text, IReadOnlyList<NamePart> Parts)
{
    public static FilterToken Simple(FilterTokenKind kind, string raw) => new(kind, raw, raw, []);

    /// <summary>True for a bare single-word identifier equal to <paramref name="keyword"/>, ignoring case.</summary>
    public bool IsKeyword(string keyword) =>
        Kind == FilterTokenKind.Identifier
        && Parts.Count == 1
        && !Parts[0].Quoted
        && string.Equals(Parts[0].Text, keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind == FilterTokenKind.End ? "end of input" : $"'{Raw}'";
}
