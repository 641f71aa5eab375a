using System.Globalization;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Reading a step's parameters, with errors that name the step, its type and the field. At apply
/// time a value may still be a <c>${params.NAME}</c> template, so its type is checked only once it
/// is filled in (when the step runs); numbers and booleans given as strings are accepted, as a
/// filled-in template is always a string.
/// </summary>
internal static class StepParams
{
    /// <summary>Refuses parameters the type does not take and requires those it must have.</summary>
    public static void Check(StepDefinition step, IReadOnlyCollection<string> known, params string[] required)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Params.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): 'params' must be a mapping.");
        }

        if (step.Params.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in step.Params.EnumerateObject())
            {
                if (!known.Contains(p.Name))
                {
                    throw KeelException.InvalidParameter(
                        $"Step '{step.Name}' ({step.Type}): parameter '{p.Name}' is not known; {step.Type} takes {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
                }
            }
        }

        foreach (var name in required)
        {
            if (Find(step.Params, name) is not { } value || value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): parameter '{name}' is required.");
            }
        }
    }

    /// <summary>True when the value is (or holds) a template still to be filled in.</summary>
    public static bool IsTemplate(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.Contains("${", StringComparison.Ordinal);

    public static JsonElement? Find(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) ? value : null;

    public static string? String(StepDefinition step, JsonElement parameters, string name) => Find(parameters, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => throw Invalid(step, name, "must be a single value"),
    };

    public static bool Bool(StepDefinition step, JsonElement parameters, string name, bool fallback) => Find(parameters, name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } v when IsTemplate(v) => fallback,
        { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString(), out var b) => b,
        _ => throw Invalid(step, name, "must be true or false"),
    };

    public static double? Double(StepDefinition step, JsonElement parameters, string name, double min = double.MinValue, double max = double.MaxValue)
    {
        double value;
        switch (Find(parameters, name))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.Number } v:
                value = v.GetDouble();
                break;
            case { ValueKind: JsonValueKind.String } v when IsTemplate(v):
                return null;
            case { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                break;
            default:
                throw Invalid(step, name, "must be a number");
        }

        return double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw Invalid(step, name, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A list of names: a JSON array of strings, or one string of comma-separated names.</summary>
    public static IReadOnlyList<string>? Names(StepDefinition step, JsonElement parameters, string name) => Find(parameters, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        { ValueKind: JsonValueKind.Array } v => [.. v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid(step, name, "must be a list of names"))],
        _ => throw Invalid(step, name, "must be a list of names"),
    };

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), or null when not given or still a template.</summary>
    public static string? Choice(StepDefinition step, JsonElement parameters, string name, params string[] allowed)
    {
        var value = String(step, parameters, name);
        if (value is null || value.Contains("${", StringComparison.Ordinal))
        {
            return null;
        }

        return allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid(step, name, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>A content hash of text, for cache material.</summary>
    public static string Hash(string text) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    public static KeelException Invalid(StepDefinition step, string name, string rule) =>
        KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): parameter '{name}' {rule}.");
}
