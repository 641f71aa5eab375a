using System.Globalization;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Reads the parameters of the command, register and deploy steps. Every refusal is
/// INVALID_PARAMETER_VALUE naming the step and the field, whether it happens when the pipeline is
/// applied (<c>Validate</c>) or when the step runs with parameters filled in.
/// </summary>
internal static class OpsParams
{
    /// <summary>Refuses parameters outside <paramref name="known"/>, so a typo is not silently ignored.</summary>
    public static void OnlyKnown(StepDefinition step, JsonElement parameters, params string[] known)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(step, "params", "must be an object");
        }

        foreach (var p in parameters.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): parameter '{p.Name}' is not known; {step.Type} takes {string.Join(", ", known.Select(k => $"'{k}'"))}.");
            }
        }
    }

    public static JsonElement? Get(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? String(StepDefinition step, JsonElement parameters, string name, bool required = false)
    {
        if (Get(parameters, name) is not { } v)
        {
            return required ? throw Invalid(step, name, "is required") : null;
        }

        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
        {
            throw Invalid(step, name, "must be a non-empty string");
        }

        return v.GetString();
    }

    public static IReadOnlyList<string>? Strings(StepDefinition step, JsonElement parameters, string name, bool required = false)
    {
        if (Get(parameters, name) is not { } v)
        {
            return required ? throw Invalid(step, name, "is required (a list of strings)") : null;
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
        {
            throw Invalid(step, name, "must be a list of strings");
        }

        return [.. v.EnumerateArray().Select(i => i.GetString()!)];
    }

    public static IReadOnlyDictionary<string, string>? Map(StepDefinition step, JsonElement parameters, string name)
    {
        if (Get(parameters, name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(step, name, "must be a map of names to strings");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(step, $"{name}.{p.Name}", "must be a string");
            }

            map[p.Name] = p.Value.GetString()!;
        }

        return map;
    }

    public static bool? Bool(StepDefinition step, JsonElement parameters, string name)
    {
        if (Get(parameters, name) is not { } v)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,

            // A ${params.x} filled in is a string: accept its spelling of a boolean.
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            JsonValueKind.String when v.GetString()!.Contains("${", StringComparison.Ordinal) => null,
            _ => throw Invalid(step, name, "must be true or false"),
        };
    }

    public static double? Number(StepDefinition step, JsonElement parameters, string name, double min, double max)
    {
        if (Get(parameters, name) is not { } v)
        {
            return null;
        }

        double value;
        if (v.ValueKind == JsonValueKind.Number)
        {
            value = v.GetDouble();
        }
        else if (v.ValueKind == JsonValueKind.String && v.GetString()!.Contains("${", StringComparison.Ordinal))
        {
            // Checked again when the step runs, with the parameter filled in.
            return null;
        }
        else if (v.ValueKind != JsonValueKind.String || !double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            throw Invalid(step, name, "must be a number");
        }

        return double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw Invalid(step, name, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
    }

    public static KeelException Invalid(StepDefinition step, string field, string rule) =>
        KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): parameter '{field}' {rule}.");
}
