using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Errors;

namespace Keel.Application.Pipelines;

/// <summary>
/// The <c>${…}</c> references of definitions: <c>${params.NAME}</c> (a run parameter),
/// <c>${steps.STEP.OUTPUT}</c> (an upstream output, only as a whole input value) and
/// <c>${event.FIELD}</c> (the firing event, only in trigger parameter mappings). <c>$${</c> writes a literal <c>${</c>.
/// </summary>
public static partial class Templates
{
    /// <summary>The upstream step and output an input names, when the whole value is <c>${steps.STEP.OUTPUT}</c>.</summary>
    /// <param name="value">The input's value.</param>
    public static (string Step, string Output)? StepReference(string value)
    {
        var m = StepRef().Match(value);
        return m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : null;
    }

    /// <summary>The references in a text, as (scope, name) pairs.</summary>
    /// <param name="text">The text.</param>
    public static IEnumerable<(string Scope, string Name)> References(string text)
    {
        foreach (Match m in Reference().Matches(text))
        {
            if (m.Groups["escape"].Success)
            {
                continue;
            }

            yield return (m.Groups["scope"].Value, m.Groups["name"].Value);
        }
    }

    /// <summary>Fills in a text's references from <paramref name="lookup"/> (scope, name) → value; an unknown one is INVALID_PARAMETER_VALUE naming <paramref name="field"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="lookup">Gives the value of a reference, or null when there is none.</param>
    /// <param name="field">Where the text is, for the message.</param>
    public static string Expand(string text, Func<string, string, string?> lookup, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        return Reference().Replace(text, m =>
        {
            if (m.Groups["escape"].Success)
            {
                return "${";
            }

            var scope = m.Groups["scope"].Value;
            var name = m.Groups["name"].Value;
            return lookup(scope, name) ?? throw KeelException.InvalidParameter($"Field '{field}': '${{{scope}.{name}}}' has no value.");
        });
    }

    /// <summary>Fills in every string of a JSON value (parameters of a step).</summary>
    /// <param name="value">The value.</param>
    /// <param name="lookup">Gives the value of a reference.</param>
    /// <param name="field">Where it is, for messages.</param>
    public static JsonElement Expand(JsonElement value, Func<string, string, string?> lookup, string field)
    {
        if (!value.GetRawText().Contains('$', StringComparison.Ordinal))
        {
            return value;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, value, lookup, field);
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Every string inside a JSON value, with its path.</summary>
    /// <param name="value">The value.</param>
    /// <param name="path">The path of the value.</param>
    public static IEnumerable<(string Path, string Text)> Strings(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                yield return (path, value.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                {
                    foreach (var s in Strings(p.Value, $"{path}.{p.Name}"))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var s in Strings(item, $"{path}[{i++}]"))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }

    private static void Write(Utf8JsonWriter w, JsonElement value, Func<string, string, string?> lookup, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteStringValue(Expand(value.GetString()!, lookup, field));
                break;
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value, lookup, $"{field}.{p.Name}");
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Write(w, item, lookup, $"{field}[{i++}]");
                }

                w.WriteEndArray();
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }

    /// <summary>Text for messages: a value without its braces.</summary>
    /// <param name="parts">The parts.</param>
    internal static string Join(IEnumerable<string> parts) => new StringBuilder().AppendJoin(" → ", parts).ToString();

    [GeneratedRegex(@"^\$\{steps\.([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z0-9][A-Za-z0-9_.-]*)\}$")]
    private static partial Regex StepRef();

    [GeneratedRegex(@"(?<escape>\$\$\{)|\$\{(?<scope>[a-z]+)\.(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)\}")]
    private static partial Regex Reference();
}
