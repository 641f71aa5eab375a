using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Keel.Server.Graphql;

/// <summary>
/// MLflow's <c>LongString</c> scalar: int64 values (timestamps, steps, max_results) written as
/// strings so JavaScript does not round them, read from integer literals or variables.
/// </summary>
internal sealed class LongStringGraphType : ScalarGraphType
{
    public LongStringGraphType()
    {
        Name = "LongString";
        Description = "Long converted to string to prevent truncation to max integer in JavaScript";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLIntValue i => long.Parse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        GraphQLStringValue s => ParseText(s.Value.ToString()),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        long l => l,
        int i => (long)i,
        string s => ParseText(s),
        _ => ThrowValueConversionError(value),
    };

    private static long ParseText(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"'{text}' is not a 64-bit integer.");
}
