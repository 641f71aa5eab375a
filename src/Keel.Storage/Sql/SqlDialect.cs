using System.Data.Common;
using System.Globalization;

namespace Keel.Storage.Sql;

/// <summary>
/// What the shared search translators must ask of one SQL engine: how parameters are named and
/// bound, how a truth value is spelled, how LIKE, ILIKE and IN are written, how a metric's NaN is
/// stored and how NULLs sort. Everything else in a search query is the same on every backend.
/// One stateless instance per backend.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Placeholders are formatted once; a search rarely needs more than this many.</summary>
    private const int CachedPlaceholders = 64;

    private readonly string _placeholderPrefix;
    private readonly int _firstPlaceholderNumber;
    private readonly string[] _placeholders;

    /// <param name="placeholderPrefix">What a placeholder starts with (<c>$</c>, <c>$p</c>).</param>
    /// <param name="firstPlaceholderNumber">The number of the first parameter's placeholder (1 for <c>$1</c>).</param>
    protected SqlDialect(string placeholderPrefix, int firstPlaceholderNumber)
    {
        _placeholderPrefix = placeholderPrefix;
        _firstPlaceholderNumber = firstPlaceholderNumber;
        _placeholders = new string[CachedPlaceholders];
        for (var i = 0; i < _placeholders.Length; i++)
        {
            _placeholders[i] = FormatPlaceholder(i);
        }
    }

    /// <summary>A predicate that always holds.</summary>
    public abstract string True { get; }

    /// <summary>A predicate that never holds.</summary>
    public abstract string False { get; }

    /// <summary>The latest metric row aliased <c>m</c> holds NaN.</summary>
    public abstract string LatestMetricIsNaN { get; }

    /// <summary>The latest metric row aliased <c>m</c> holds a number (not NaN).</summary>
    public abstract string LatestMetricIsNumber { get; }

    /// <summary>The placeholder of the parameter at <paramref name="index"/> (zero-based), as the SQL text names it.</summary>
    public string Placeholder(int index) => index < _placeholders.Length ? _placeholders[index] : FormatPlaceholder(index);

    /// <summary>Adds one parameter, named by <paramref name="placeholder"/>, to <paramref name="command"/>.</summary>
    public abstract void Bind(DbCommand command, string placeholder, object value);

    /// <summary>A case-sensitive LIKE (% and _ are the only wildcards; no escape character).</summary>
    public abstract string Like(SqlBuilder sql, string column, string pattern);

    /// <summary>A LIKE that ignores case.</summary>
    public abstract string ILike(SqlBuilder sql, string column, string pattern);

    /// <summary>The column equals one of <paramref name="values"/> (an empty list matches nothing).</summary>
    public abstract string In(SqlBuilder sql, string column, IReadOnlyList<string> values);

    /// <summary>The column equals none of <paramref name="values"/>.</summary>
    public abstract string NotIn(SqlBuilder sql, string column, IReadOnlyList<string> values);

    /// <summary>The integer column equals one of <paramref name="ids"/> (never empty).</summary>
    public abstract string InIntegers(SqlBuilder sql, string column, long[] ids);

    /// <summary>The parameter value a numeric comparison binds (a double, a long or an int, as parsed).</summary>
    public virtual object Number(object number) => number;

    /// <summary>
    /// Order terms that place a latest metric's NaN after numbers ascending and before them
    /// descending, added before <c>alias.value direction</c>; nothing where the engine's own float
    /// order already does so.
    /// </summary>
    public virtual void AddMetricNaNOrder(List<string> terms, string alias, string direction)
    {
    }

    /// <summary>An ORDER BY term that sorts NULL lowest: first ascending, last descending.</summary>
    public abstract string OrderNullsLowest(string column, bool ascending);

    private string FormatPlaceholder(int index) =>
        _placeholderPrefix + (index + _firstPlaceholderNumber).ToString(CultureInfo.InvariantCulture);
}
