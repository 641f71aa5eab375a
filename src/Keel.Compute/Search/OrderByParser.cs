using Keel.Core.Errors;
using Keel.Core.Search;

namespace Keel.Compute.Search;

/// <summary>Parses order-by items of the form <c>&lt;entity&gt;.&lt;key&gt; [ASC|DESC]</c>.</summary>
internal static class OrderByParser
{
    public static IReadOnlyList<OrderBy> Parse(IReadOnlyList<string>? items, SearchSchema schema)
    {
        if (items is null || items.Count == 0)
        {
            return [];
        }

        if (items.Count > SearchLimits.MaxOrderByClauses)
        {
            throw KeelException.InvalidParameter(
                $"Invalid order_by: {items.Count} clauses given; at most {SearchLimits.MaxOrderByClauses} order_by clauses are allowed.");
        }

        return items.Select(item => ParseOne(item, schema)).ToList();
    }

    private static OrderBy ParseOne(string? item, SearchSchema schema)
    {
        var clause = item ?? string.Empty;
        if (string.IsNullOrWhiteSpace(clause))
        {
            throw Unparsable(clause);
        }

        var tokens = FilterLexer.Tokenize(clause, "order_by clause");
        var identifier = tokens[0];
        if (identifier.Kind == FilterTokenKind.DoubleQuoted)
        {
            identifier = identifier with { Kind = FilterTokenKind.Identifier, Parts = [new NamePart(identifier.Text, true)] };
        }

        if (identifier.Kind != FilterTokenKind.Identifier)
        {
            throw Unparsable(clause);
        }

        var ascending = true;
        var next = 1;
        var direction = tokens[next];
        if (direction.Kind != FilterTokenKind.End)
        {
            if (direction.IsKeyword("DESC"))
            {
                ascending = false;
            }
            else if (direction.Kind != FilterTokenKind.Identifier)
            {
                throw Unparsable(clause);
            }
            else if (!direction.IsKeyword("ASC"))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid order_by clause '{clause}'. Direction must be ASC or DESC, got '{direction.Raw}'.");
            }

            next++;
        }

        if (tokens[next].Kind != FilterTokenKind.End)
        {
            throw Unparsable(clause);
        }

        var (entity, key) = schema.ResolveOrderKey(identifier, clause);
        return new OrderBy(entity, key, ascending);
    }

    private static KeelException Unparsable(string clause) =>
        KeelException.InvalidParameter(
            $"Invalid order_by clause '{clause}'. Could not be parsed; expected '<entity>.<key> [ASC|DESC]'.");
}
