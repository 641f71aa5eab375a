using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// The <c>result</c> object of a map expectation, field for field as Great Expectations builds
/// it for each result format (percentages of the non-missing values, partial lists of the first
/// unexpected values in row order, counts of those partial values).
/// </summary>
internal static class MapOutput
{
    public static JsonObject Format(ResultFormat format, long elementCount, long? nonnullCount, long unexpectedCount, IReadOnlyList<JsonNode?> values, IReadOnlyList<long> indexes)
    {
        var result = new JsonObject();
        if (format.Level == ResultFormatLevel.BooleanOnly)
        {
            return result;
        }

        double? missingPercent = null;
        double? unexpectedTotal = null;
        double? unexpectedNonmissing = null;
        var missingCount = nonnullCount is null ? (long?)null : elementCount - nonnullCount.Value;
        if (elementCount > 0)
        {
            unexpectedTotal = unexpectedCount * 100.0 / elementCount;
            if (nonnullCount is null)
            {
                unexpectedNonmissing = unexpectedTotal;
            }
            else
            {
                missingPercent = missingCount!.Value * 100.0 / elementCount;
                unexpectedNonmissing = nonnullCount > 0 ? unexpectedCount * 100.0 / nonnullCount.Value : null;
            }
        }

        result["element_count"] = elementCount;
        result["unexpected_count"] = unexpectedCount;
        result["unexpected_percent"] = unexpectedNonmissing;
        var k = format.PartialUnexpectedCount;
        if (!format.ExcludeUnexpectedValues)
        {
            result["partial_unexpected_list"] = new JsonArray(values.Take(k).Select(Clone).ToArray());
        }

        if (nonnullCount is not null)
        {
            result["missing_count"] = missingCount;
            result["missing_percent"] = missingPercent;
            result["unexpected_percent_total"] = unexpectedTotal;
            result["unexpected_percent_nonmissing"] = unexpectedNonmissing;
        }

        if (format.Level == ResultFormatLevel.Basic)
        {
            return result;
        }

        if (k > 0)
        {
            if (!format.ExcludeUnexpectedValues)
            {
                result["partial_unexpected_counts"] = Counts(values.Take(k).ToList(), k);
            }

            result["partial_unexpected_index_list"] = new JsonArray(indexes.Take(k).Select(i => (JsonNode)i).ToArray());
        }

        if (format.Level == ResultFormatLevel.Summary)
        {
            return result;
        }

        if (!format.ExcludeUnexpectedValues)
        {
            result["unexpected_list"] = new JsonArray(values.Select(Clone).ToArray());
        }

        result["unexpected_index_list"] = new JsonArray(indexes.Select(i => (JsonNode)i).ToArray());
        return result;
    }

    // Counter(values).most_common(k), then ordered by count descending and value ascending; dict
    // values (multicolumn) count as tuples of their values.
    private static JsonArray Counts(List<JsonNode?> values, int k)
    {
        var counts = new List<(JsonNode? Value, int Count)>();
        foreach (var raw in values)
        {
            var value = raw is JsonObject obj ? new JsonArray(obj.Select(p => Clone(p.Value)).ToArray()) : raw;
            var at = counts.FindIndex(c => JsonNode.DeepEquals(c.Value, value));
            if (at >= 0)
            {
                counts[at] = (counts[at].Value, counts[at].Count + 1);
            }
            else
            {
                counts.Add((value, 1));
            }
        }

        var top = counts.OrderByDescending(c => c.Count).Take(k)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Value, JsonOrder.Instance);
        return new JsonArray(top.Select(c => (JsonNode)new JsonObject { ["value"] = Clone(c.Value), ["count"] = c.Count }).ToArray());
    }

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();
}

/// <summary>Python's ordering of JSON-able values: numbers numerically, text by code point, lists element-wise, null first.</summary>
internal sealed class JsonOrder : IComparer<JsonNode?>
{
    public static JsonOrder Instance { get; } = new();

    public int Compare(JsonNode? x, JsonNode? y)
    {
        if (x is null || y is null)
        {
            return (x is null ? 0 : 1) - (y is null ? 0 : 1);
        }

        if (x is JsonArray xa && y is JsonArray ya)
        {
            for (var i = 0; i < Math.Min(xa.Count, ya.Count); i++)
            {
                var c = Compare(xa[i], ya[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return xa.Count.CompareTo(ya.Count);
        }

        if (x is JsonValue xv && y is JsonValue yv)
        {
            var xk = xv.GetValueKind();
            var yk = yv.GetValueKind();
            if (IsNumeric(xk) && IsNumeric(yk))
            {
                return AsDouble(xv).CompareTo(AsDouble(yv));
            }

            if (xk == JsonValueKind.String && yk == JsonValueKind.String)
            {
                return string.CompareOrdinal(xv.GetValue<string>(), yv.GetValue<string>());
            }
        }

        return string.CompareOrdinal(x.ToJsonString(), y.ToJsonString());
    }

    private static bool IsNumeric(JsonValueKind kind) => kind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static double AsDouble(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
    };
}
