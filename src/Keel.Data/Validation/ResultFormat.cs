using System.Text.Json.Nodes;
using Keel.Core.Errors;

namespace Keel.Data.Validation;

/// <summary>Great Expectations' <c>result_format</c>: a level and how many unexpected values to sample.</summary>
/// <param name="Level">The level.</param>
/// <param name="PartialUnexpectedCount">Length of the partial lists (20 by default).</param>
/// <param name="ExcludeUnexpectedValues">Leave unexpected values out (indexes and counts stay).</param>
public sealed record ResultFormat(ResultFormatLevel Level, int PartialUnexpectedCount = 20, bool ExcludeUnexpectedValues = false)
{
    /// <summary>SUMMARY with 20 values, the 1.x default.</summary>
    public static ResultFormat Default { get; } = new(ResultFormatLevel.Summary);

    /// <summary>Reads a level name (<c>BOOLEAN_ONLY</c>, <c>BASIC</c>, <c>SUMMARY</c>, <c>COMPLETE</c>) or the object form.</summary>
    public static ResultFormat Parse(JsonNode? node, string where)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var name))
        {
            return new ResultFormat(ParseLevel(name, where));
        }

        if (node is JsonObject obj)
        {
            var level = obj["result_format"] is JsonValue lv && lv.TryGetValue<string>(out var n)
                ? ParseLevel(n, where)
                : ResultFormatLevel.Summary;
            var count = 20;
            if (obj["partial_unexpected_count"] is JsonNode c)
            {
                if (c is not JsonValue cv || !cv.TryGetValue<int>(out count) || count < 0)
                {
                    throw KeelException.InvalidParameter($"{where}: 'result_format.partial_unexpected_count' must be a non-negative integer.");
                }
            }

            var exclude = obj["exclude_unexpected_values"] is JsonValue ev && ev.TryGetValue<bool>(out var b) && b;
            return new ResultFormat(level, count, exclude);
        }

        throw KeelException.InvalidParameter($"{where}: 'result_format' must be BOOLEAN_ONLY, BASIC, SUMMARY, COMPLETE or an object with 'result_format'.");
    }

    /// <summary>The level from its Great Expectations name.</summary>
    public static ResultFormatLevel ParseLevel(string name, string where) => name switch
    {
        "BOOLEAN_ONLY" => ResultFormatLevel.BooleanOnly,
        "BASIC" => ResultFormatLevel.Basic,
        "SUMMARY" => ResultFormatLevel.Summary,
        "COMPLETE" => ResultFormatLevel.Complete,
        _ => throw KeelException.InvalidParameter($"{where}: 'result_format' must be one of BOOLEAN_ONLY, BASIC, SUMMARY, COMPLETE, not '{name}'."),
    };
}
