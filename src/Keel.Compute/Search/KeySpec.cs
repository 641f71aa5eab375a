using Keel.Core.Search;

namespace Keel.Compute.Search;

internal enum ValueKind
{
    Number,
    String,
}

/// <summary>
/// What one resolved filter key accepts: its value type, its comparators (in the order error
/// messages list them) and the message for a value of the wrong type.
/// </summary>
internal sealed record KeySpec(
    SearchEntity Entity,
    string Key,
    ValueKind Kind,
    IReadOnlyList<Comparator> Allowed,
    Func<string, string> BadValueMessage);

/// <summary>Comparator sets and their MLflow spellings.</summary>
internal static class Comparators
{
    /// <summary>MLflow's error message prints the numeric set in exactly this order.</summary>
    public static readonly IReadOnlyList<Comparator> Numeric =
    [
        Comparator.NotEqual, Comparator.LessOrEqual, Comparator.Equal,
        Comparator.Less, Comparator.GreaterOrEqual, Comparator.Greater,
    ];

    public static readonly IReadOnlyList<Comparator> String =
        [Comparator.NotEqual, Comparator.Equal, Comparator.Like, Comparator.ILike];

    public static readonly IReadOnlyList<Comparator> StringOrNull =
        [.. String, Comparator.IsNull, Comparator.IsNotNull];

    public static readonly IReadOnlyList<Comparator> StringOrList =
        [.. String, Comparator.In, Comparator.NotIn];

    public static string Spell(Comparator op) => SearchText.Spell(op);

    /// <summary>Maps an operator token; <c>&lt;&gt;</c> is taken as a synonym of <c>!=</c>.</summary>
    public static Comparator? FromOperator(string text) => text switch
    {
        "=" => Comparator.Equal,
        "!=" => Comparator.NotEqual,
        "<" => Comparator.Less,
        "<=" => Comparator.LessOrEqual,
        ">" => Comparator.Greater,
        ">=" => Comparator.GreaterOrEqual,
        _ => null,
    };

    /// <summary>MLflow's wording, e.g. <c>Invalid comparator '&gt;&gt;' not one of '{'!=', '&lt;=', ...}'</c>.</summary>
    public static string InvalidMessage(string given, IReadOnlyList<Comparator> allowed) =>
        $"Invalid comparator '{given}' not one of '{{{string.Join(", ", allowed.Select(a => $"'{Spell(a)}'"))}}}'";
}
