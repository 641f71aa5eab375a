using System.Globalization;
using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Core.Wire;

/// <summary>
/// The fields of one MLflow request with the checks MLflow's handler declares for them, in its order.
/// MLflow first parses the body into the request message; only when that fails does it check the
/// field types, field by field in this order, so the error a client sees for a body with several
/// problems is the first one here (a missing <c>run_id</c> before a malformed <c>datasets</c>).
/// The request readers run <see cref="FirstError"/> only on a body that did not bind; the required-field
/// and range rules of a body that did bind are the use cases' (Keel.Application), in the same order.
/// </summary>
public sealed class RequestSchema
{
    private const string ApiDocsHint = " See the API docs for more information about request parameters.";

    private readonly (string Field, FieldRule[] Rules)[] _fields;

    public RequestSchema(params (string Field, FieldRule[] Rules)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = fields;
    }

    /// <summary>MLflow's error for the first field that fails a rule, or null when every field passes.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="typesChecked">
    /// False for a body that bound to its request type: MLflow skips its type rules then and runs
    /// only the presence rules.
    /// </param>
    public KeelException? FirstError(JsonElement body, bool typesChecked = true)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var (field, rules) in _fields)
        {
            var present = TryGetLast(body, field, out var value);

            // MLflow reads run_uuid (the deprecated spelling) when run_id is absent or null.
            if (field == "run_id" && (!present || value.ValueKind == JsonValueKind.Null) && TryGetLast(body, "run_uuid", out var uuid))
            {
                present = true;
                value = uuid;
            }

            if (!present && Array.IndexOf(rules, FieldRule.Required) < 0)
            {
                continue;
            }

            foreach (var rule in rules)
            {
                if (!typesChecked && IsTypeRule(rule))
                {
                    continue;
                }

                if (!Passes(rule, present ? value : default, present))
                {
                    return rule == FieldRule.Required
                        ? KeelException.MissingParameter(field)
                        : InvalidValue(field, present ? value : default);
                }
            }
        }

        return null;
    }

    /// <summary>MLflow's message for a field whose value breaks a type rule, quoting the value as Python prints it.</summary>
    public static KeelException InvalidValue(string field, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "None" : PythonText.Str(value);
        var type = value.ValueKind == JsonValueKind.Undefined ? "NoneType" : PythonText.TypeName(value);
        return KeelException.InvalidParameter(
            $"Invalid value {text} for parameter '{field}' supplied. Hint: Value was of type '{type}'." + ApiDocsHint);
    }

    private static bool IsTypeRule(FieldRule rule) =>
        rule is FieldRule.IsString or FieldRule.IntLike or FieldRule.FloatLike or FieldRule.IsBool or FieldRule.IsArray or FieldRule.StringItems;

    private static bool TryGetLast(JsonElement body, string name, out JsonElement value)
    {
        // Python's json keeps the last of repeated members.
        value = default;
        var found = false;
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }

    private static bool Passes(FieldRule rule, JsonElement value, bool present) => rule switch
    {
        FieldRule.Required => present && IsSet(value),
        FieldRule.IsString => value.ValueKind == JsonValueKind.String,
        FieldRule.IntLike => IsIntLike(value),
        FieldRule.FloatLike => IsFloatLike(value),
        FieldRule.IsBool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldRule.IsArray => value.ValueKind == JsonValueKind.Array,
        FieldRule.StringItems => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String),
        FieldRule.MetricFieldsPresent => EveryItemHas(value, "key", "value", "timestamp"),
        FieldRule.KeyFieldPresent => EveryItemHas(value, "key"),
        _ => true,
    };

    private static bool IsSet(JsonElement value) =>
        value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) &&
        !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0);

    private static bool EveryItemHas(JsonElement items, params string[] fields)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var field in fields)
            {
                if (!TryGetLast(item, field, out var value) || !IsSet(value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsIntLike(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDouble(out var d) && double.IsFinite(d),
        JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.String => System.Numerics.BigInteger.TryParse(PythonNumberText(value.GetString()!), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static bool IsFloatLike(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                var text = PythonNumberText(value.GetString()!);
                var unsigned = text.TrimStart('+', '-').ToUpperInvariant();
                return unsigned is "NAN" or "INF" or "INFINITY" ||
                    (text.Length > 0 && !char.IsLetter(text[^1]) &&
                     double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            default:
                return false;
        }
    }

    /// <summary>Python's int() and float() ignore surrounding whitespace and underscores between digits.</summary>
    private static string PythonNumberText(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Contains('_', StringComparison.Ordinal) && !trimmed.StartsWith('_') && !trimmed.EndsWith('_') && !trimmed.Contains("__", StringComparison.Ordinal)
            ? trimmed.Replace("_", string.Empty, StringComparison.Ordinal)
            : trimmed;
    }
}
