using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// SQL literals for kwarg values compared with a column, following pandas' comparisons: a number
/// never equals a string ("2" is not 2), 1 equals 1.0, and ISO strings stand for dates on date
/// and timestamp columns.
/// </summary>
internal static class Literals
{
    /// <summary>The literal comparable with <paramref name="column"/>, or null when pandas would never find them equal.</summary>
    public static string? ForEquality(JsonNode? value, TableColumn column)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        var kind = v.GetValueKind();
        switch (column.Logical)
        {
            case LogicalType.Integer or LogicalType.Float:
                if (kind == JsonValueKind.Number)
                {
                    return Sql.Num(v.GetValue<double>());
                }

                return kind is JsonValueKind.True or JsonValueKind.False ? (v.GetValue<bool>() ? "1" : "0") : null;
            case LogicalType.Boolean:
                if (kind is JsonValueKind.True or JsonValueKind.False)
                {
                    return v.GetValue<bool>() ? "TRUE" : "FALSE";
                }

                return kind == JsonValueKind.Number && v.GetValue<double>() is 0 or 1 ? (v.GetValue<double>() == 1 ? "TRUE" : "FALSE") : null;
            case LogicalType.Date or LogicalType.Timestamp:
                return kind == JsonValueKind.String ? $"TRY_CAST({Sql.Str(v.GetValue<string>())} AS {column.DuckType})" : null;
            default:
                return kind == JsonValueKind.String ? Sql.Str(v.GetValue<string>()) : null;
        }
    }

    /// <summary>An ordering bound for <paramref name="column"/>; a type pandas cannot compare is an error, as in pandas.</summary>
    public static string Bound(JsonNode value, TableColumn column, string name)
    {
        var v = (JsonValue)value;
        var kind = v.GetValueKind();
        switch (column.Logical)
        {
            case LogicalType.Integer or LogicalType.Float or LogicalType.Boolean when kind == JsonValueKind.Number:
                return Sql.Num(v.GetValue<double>());
            case LogicalType.Date or LogicalType.Timestamp when kind == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    throw new CheckException($"Could not parse \"{name}\" of {text} into datetime representation.");
                }

                return $"TIMESTAMP {Sql.Str(parsed.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))}";
            case LogicalType.String when kind == JsonValueKind.String:
                return Sql.Str(v.GetValue<string>());
            default:
                throw new CheckException("Column values, min_value, and max_value must either be None or of the same type.");
        }
    }

    /// <summary>Compares an observed value with a kwarg bound the way Python would (numbers, text, datetimes).</summary>
    public static int Compare(object observed, JsonNode bound, string name)
    {
        var v = (JsonValue)bound;
        var kind = v.GetValueKind();
        if (observed is DateTime or DateOnly or DateTimeOffset)
        {
            var when = observed switch
            {
                DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                DateTimeOffset o => o.UtcDateTime,
                _ => (DateTime)observed,
            };
            if (kind != JsonValueKind.String || !DateTime.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var b))
            {
                throw new CheckException($"Could not parse \"{name}\" of {bound.ToJsonString()} into datetime representation.");
            }

            return when.CompareTo(b);
        }

        if (observed is string s)
        {
            return kind == JsonValueKind.String
                ? string.CompareOrdinal(s, v.GetValue<string>())
                : throw new CheckException($"'<' not supported between instances of 'str' and '{PythonType(kind)}'");
        }

        var number = JsonValues.ToDouble(observed) ?? throw new CheckException($"Cannot compare {observed} with {name}.");
        return kind == JsonValueKind.Number
            ? number.CompareTo(v.GetValue<double>())
            : throw new CheckException($"'<' not supported between instances of 'float' and '{PythonType(kind)}'");
    }

    /// <summary>GE's between rule: a null bound is open, strict bounds exclude equality.</summary>
    public static bool Between(object observed, JsonNode? min, JsonNode? max, bool strictMin, bool strictMax)
    {
        var above = min is null || (strictMin ? Compare(observed, min, "min_value") > 0 : Compare(observed, min, "min_value") >= 0);
        var below = max is null || (strictMax ? Compare(observed, max, "max_value") < 0 : Compare(observed, max, "max_value") <= 0);
        return above && below;
    }

    private static string PythonType(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Number => "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "NoneType",
    };
}
