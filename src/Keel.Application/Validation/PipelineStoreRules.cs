using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Pipelines;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>
/// Argument rules of the pipeline store's API, checked once here so every backend can trust its
/// input: names of pipelines, steps and triggers, keys, sizes, states, ids and times. Each refusal
/// names the field and the rule.
/// </summary>
internal static partial class PipelineStoreRules
{
    public const int MaxSource = 1 << 20;
    public const int MaxKey = 200;
    public const int MaxValue = 65_536;
    public const int MaxMapEntries = 1_000;
    public const int MaxSteps = 1_000;
    public const int MaxLines = 10_000;
    public const int MaxResults = 10_000;
    public const int DefaultResults = 1_000;
    public const int MaxLimit = 10_000;
    public const int MaxAttempt = 1_000_000;

    private static readonly string[] TriggerKinds = ["manual", "schedule", "dataset", "alert", "registry"];

    public static string Name(string? name, string field)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.MissingParameter(field);
        }

        return NamePattern().IsMatch(name)
            ? name
            : throw KeelException.InvalidParameter($"Invalid {field} '{Shorten(name)}': use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
    }

    /// <summary>A key (hash, cache, dedupe or idempotency key, lease name or holder): 1-200 characters, no control characters.</summary>
    public static string Key(string? key, string field)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw KeelException.MissingParameter(field);
        }

        return key.Length <= MaxKey && !key.Any(char.IsControl)
            ? key
            : throw KeelException.InvalidParameter($"Invalid {field}: use 1-{MaxKey} characters, no control characters.");
    }

    public static string? OptionalKey(string? key, string field) => key is null ? null : Key(key, field);

    /// <summary>Free text (an error, a message, an actor, a cursor) of at most <paramref name="max"/> characters; null stays null.</summary>
    public static string? Text(string? text, string field, int max = MaxValue) =>
        text is null || text.Length <= max
            ? text
            : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: at most {max} characters, got {text.Length}."));

    public static string Source(string? source) =>
        string.IsNullOrEmpty(source) ? throw KeelException.MissingParameter("source") : Text(source, "source", MaxSource)!;

    /// <summary>A JSON object as text (a trigger's event detail), at most 64 KiB; null stays null.</summary>
    public static string? JsonObject(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        Text(text, field);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? text
                : throw KeelException.InvalidParameter($"Invalid {field}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: it is not one JSON value ({e.Message}).");
        }
    }

    public static long Id(string? text, string field) =>
        string.IsNullOrEmpty(text) ? throw KeelException.MissingParameter(field)
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id
        : throw KeelException.InvalidParameter($"Invalid {field} '{Shorten(text)}': it must be a positive integer.");

    public static long Id(long? id, string field) =>
        id switch
        {
            null => throw KeelException.MissingParameter(field),
            < 1 => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field} {id}: it must be a positive integer.")),
            _ => id.Value,
        };

    public static long? OptionalId(long? id, string field) => id is null ? null : Id(id, field);

    public static long NonNegative(long? value, string field) =>
        value switch
        {
            null => throw KeelException.MissingParameter(field),
            < 0 => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field} {value}: it cannot be negative.")),
            _ => value.Value,
        };

    public static int Between(long? value, string field, int min, int max) =>
        value switch
        {
            null => throw KeelException.MissingParameter(field),
            _ when value < min || value > max => throw KeelException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture, $"Invalid {field} {value}: it must be between {min} and {max}.")),
            _ => (int)value.Value,
        };

    public static int MaxResultsOrDefault(long? value) => value is null ? DefaultResults : Between(value, "max_results", 1, MaxResults);

    public static PipelineRunState RunState(string? name, string field) =>
        string.IsNullOrEmpty(name) ? throw KeelException.MissingParameter(field)
        : PipelineTransitions.ParseRunState(name) ?? throw KeelException.InvalidParameter(
            $"Invalid {field} '{Shorten(name)}': expected one of {string.Join(", ", Enum.GetValues<PipelineRunState>().Select(PipelineTransitions.Name))}.");

    public static StepRunState StepState(string? name, string field) =>
        string.IsNullOrEmpty(name) ? throw KeelException.MissingParameter(field)
        : PipelineTransitions.ParseStepState(name) ?? throw KeelException.InvalidParameter(
            $"Invalid {field} '{Shorten(name)}': expected one of {string.Join(", ", Enum.GetValues<StepRunState>().Select(PipelineTransitions.Name))}.");

    /// <summary>A map of names to values (parameters, outputs): at most 1000 entries, keys 1-200 characters, values at most 64 KiB.</summary>
    public static Dictionary<string, string> Map(Dictionary<string, string>? map, string field)
    {
        var entries = map ?? [];
        if (entries.Count > MaxMapEntries)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: at most {MaxMapEntries} entries, got {entries.Count}."));
        }

        foreach (var (key, value) in entries)
        {
            Key(key, field + " key");
            if (value is null)
            {
                throw KeelException.InvalidParameter($"Invalid {field}.{Shorten(key)}: the value must be a string, not null.");
            }

            Text(value, field + "." + Shorten(key));
        }

        return new Dictionary<string, string>(entries, StringComparer.Ordinal);
    }

    public static PipelineTrigger Trigger(PipelineTriggerMessage? trigger, string field)
    {
        if (trigger is null)
        {
            throw KeelException.MissingParameter(field);
        }

        var kind = string.IsNullOrEmpty(trigger.Kind) ? throw KeelException.MissingParameter(field + ".kind")
            : TriggerKinds.Contains(trigger.Kind, StringComparer.Ordinal) ? trigger.Kind
            : throw KeelException.InvalidParameter($"Invalid {field}.kind '{Shorten(trigger.Kind)}': expected one of {string.Join(", ", TriggerKinds)}.");
        return new PipelineTrigger(
            kind, trigger.Name is null ? null : Name(trigger.Name, field + ".name"), JsonObject(trigger.Detail, field + ".detail"), Text(trigger.Actor, field + ".actor", MaxKey));
    }

    public static LeaseFence? Fence(LeaseFenceMessage? fence, string field) =>
        fence is null ? null : new LeaseFence(Key(fence.Name, field + ".name"), Key(fence.Holder, field + ".holder"), NonNegative(fence.Epoch, field + ".epoch"));

    public static List<string> Steps(List<string>? steps, string field)
    {
        if (steps is null || steps.Count == 0)
        {
            throw KeelException.MissingParameter(field);
        }

        if (steps.Count > MaxSteps)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: at most {MaxSteps} steps, got {steps.Count}."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var name = Name(steps[i], Field(field, i));
            if (!seen.Add(name))
            {
                throw KeelException.InvalidParameter($"Invalid {Field(field, i)} '{name}': step names must be distinct.");
            }
        }

        return steps;
    }

    public static List<string> Lines(List<string>? lines, string field)
    {
        if (lines is null)
        {
            throw KeelException.MissingParameter(field);
        }

        if (lines.Count > MaxLines)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: at most {MaxLines} lines per call, got {lines.Count}."));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is null)
            {
                throw KeelException.InvalidParameter($"Invalid {Field(field, i)}: a line must be a string, not null.");
            }

            Text(lines[i], Field(field, i));
        }

        return lines;
    }

    /// <summary>A value given in the body that must match the path's, when given.</summary>
    public static void SamePath(string? given, string path, string field)
    {
        if (given is not null && !string.Equals(given, path, StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"Invalid {field} '{Shorten(given)}': it must match the path ('{path}').");
        }
    }

    private static string Field(string list, int index) => string.Create(CultureInfo.InvariantCulture, $"{list}[{index}]");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
