using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Text;

namespace Keel.Compute.Search;

/// <summary>
/// Recursive-descent parser over <see cref="FilterLexer"/> tokens for
/// <c>comparison (AND comparison)*</c>. The key is resolved before the comparator is read so that
/// comparator and value errors can name what the key allows, as MLflow's messages do.
/// </summary>
internal sealed class FilterParser
{
    private readonly string _filter;
    private readonly SearchSchema _schema;
    private readonly IReadOnlyList<FilterToken> _tokens;
    private int _index;

    private FilterParser(string filter, SearchSchema schema)
    {
        _filter = filter;
        _schema = schema;
        _tokens = FilterLexer.Tokenize(filter, "filter");
    }

    public static IReadOnlyList<Comparison> Parse(string? filter, SearchSchema schema)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        return new FilterParser(filter, schema).ParseAll();
    }

    private FilterToken Current => _tokens[_index];

    private FilterToken Take() => _tokens[_index++];

    private List<Comparison> ParseAll()
    {
        var result = new List<Comparison> { ParseComparison() };
        var values = CountValues(result[0]);
        while (Current.Kind != FilterTokenKind.End)
        {
            if (!Current.IsKeyword("AND"))
            {
                throw InvalidClause(Current);
            }

            Take();
            if (Current.Kind == FilterTokenKind.End)
            {
                throw KeelException.InvalidParameter(
                    $"Invalid filter '{_filter}'. Expected a comparison after the final AND.");
            }

            if (result.Count == SearchLimits.MaxFilterComparisons)
            {
                throw KeelException.InvalidParameter(
                    $"Invalid filter: it has more than {SearchLimits.MaxFilterComparisons} comparisons; at most {SearchLimits.MaxFilterComparisons} AND-ed comparisons are allowed in one filter.");
            }

            result.Add(ParseComparison());
            values += CountValues(result[^1]);
            if (values > SearchLimits.MaxFilterValues)
            {
                throw KeelException.InvalidParameter(
                    $"Invalid filter: it has more than {SearchLimits.MaxFilterValues} values; at most {SearchLimits.MaxFilterValues} values (IN-list items included) are allowed in one filter.");
            }
        }

        return result;
    }

    private static int CountValues(Comparison comparison) => comparison.Value switch
    {
        null => 0,
        IReadOnlyList<string> list => list.Count,
        _ => 1,
    };

    private Comparison ParseComparison()
    {
        var identifier = Take();
        if (identifier.Kind == FilterTokenKind.DoubleQuoted)
        {
            // A lone "name" on the left is a name, not a string (sqlparse reads it as a symbol).
            identifier = identifier with { Kind = FilterTokenKind.Identifier, Parts = [new NamePart(identifier.Text, true)] };
        }

        if (identifier.Kind != FilterTokenKind.Identifier || IsReservedWord(identifier))
        {
            throw InvalidClause(identifier);
        }

        var spec = _schema.ResolveFilterKey(identifier);
        var op = ParseComparator(spec);
        var value = op switch
        {
            Comparator.IsNull or Comparator.IsNotNull => null,
            Comparator.In or Comparator.NotIn => ParseList(spec),
            _ => ParseScalar(spec),
        };
        if (op is Comparator.Like or Comparator.ILike && value is string pattern && CodePoints.Exceeds(pattern, SearchLimits.MaxPatternLength))
        {
            throw KeelException.InvalidParameter(
                $"Invalid filter: the {(op == Comparator.Like ? "LIKE" : "ILIKE")} pattern for '{spec.Key}' has {CodePoints.Count(pattern)} characters; at most {SearchLimits.MaxPatternLength} are allowed.");
        }

        if (value is List<string> { Count: > SearchLimits.MaxFilterValues } list)
        {
            throw KeelException.InvalidParameter(
                $"Invalid filter: the IN list for '{spec.Key}' has {list.Count} values; at most {SearchLimits.MaxFilterValues} values are allowed in one filter.");
        }

        return new Comparison(spec.Entity, spec.Key, op, value);
    }

    private Comparator ParseComparator(KeySpec spec)
    {
        var first = Take();
        var given = first.Raw;
        Comparator? op = null;
        if (first.Kind == FilterTokenKind.Operator)
        {
            op = Comparators.FromOperator(first.Raw);
        }
        else if (first.IsKeyword("LIKE"))
        {
            op = Comparator.Like;
        }
        else if (first.IsKeyword("ILIKE"))
        {
            op = Comparator.ILike;
        }
        else if (first.IsKeyword("IN"))
        {
            op = Comparator.In;
        }
        else if (first.IsKeyword("NOT") && Current.IsKeyword("IN"))
        {
            given += " " + Take().Raw;
            op = Comparator.NotIn;
        }
        else if (first.IsKeyword("IS"))
        {
            var negated = Current.IsKeyword("NOT");
            if (negated)
            {
                given += " " + Take().Raw;
            }

            if (Current.IsKeyword("NULL"))
            {
                given += " " + Take().Raw;
                op = negated ? Comparator.IsNotNull : Comparator.IsNull;
            }
        }
        else if (first.Kind == FilterTokenKind.End)
        {
            throw KeelException.InvalidParameter(
                $"Invalid filter '{_filter}'. Expected a comparator after '{_tokens[_index - 2].Raw}'.");
        }

        if (op is not { } found || !spec.Allowed.Contains(found))
        {
            throw KeelException.InvalidParameter(Comparators.InvalidMessage(given, spec.Allowed));
        }

        return found;
    }

    private object ParseScalar(KeySpec spec)
    {
        var token = Take();
        if (spec.Kind == ValueKind.Number)
        {
            if (token.Kind == FilterTokenKind.Number
                && double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            throw KeelException.InvalidParameter(spec.BadValueMessage(Shown(token)));
        }

        return token.Kind is FilterTokenKind.SingleQuoted or FilterTokenKind.DoubleQuoted
            ? token.Text
            : throw KeelException.InvalidParameter(spec.BadValueMessage(Shown(token)));
    }

    private List<string> ParseList(KeySpec spec)
    {
        var open = Take();
        if (open.Kind != FilterTokenKind.LeftParen)
        {
            throw BadList(spec, open);
        }

        var values = new List<string>();
        while (true)
        {
            var item = Take();
            if (item.Kind is not (FilterTokenKind.SingleQuoted or FilterTokenKind.DoubleQuoted))
            {
                throw BadList(spec, item);
            }

            values.Add(item.Text);
            var separator = Take();
            if (separator.Kind == FilterTokenKind.RightParen)
            {
                return values;
            }

            if (separator.Kind != FilterTokenKind.Comma)
            {
                throw BadList(spec, separator);
            }
        }
    }

    private KeelException BadList(KeySpec spec, FilterToken token) =>
        KeelException.InvalidParameter(
            $"Invalid filter '{_filter}'. '{spec.Key}' IN/NOT IN expects a parenthesised list of quoted strings such as ('a', 'b'); found {token.Describe()}.");

    private KeelException InvalidClause(FilterToken token)
    {
        if (token.Kind == FilterTokenKind.Unknown && token.Raw == ";")
        {
            return KeelException.InvalidParameter(
                $"Search filter contained multiple expression '{_filter}'. Provide AND-ed expression list.");
        }

        return KeelException.InvalidParameter(
            $"Invalid clause(s) in filter string: {token.Describe()}. A filter is a list of comparisons joined by AND; OR, NOT and parentheses are not supported.");
    }

    private static bool IsReservedWord(FilterToken token) =>
        token.IsKeyword("AND") || token.IsKeyword("OR") || token.IsKeyword("NOT");

    /// <summary>Shows a value token as written, or says that none was there.</summary>
    private static string Shown(FilterToken token) => token.Kind == FilterTokenKind.End ? "nothing" : token.Raw;
}
