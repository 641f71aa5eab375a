using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Keel.Core.Pipelines.Definition;

/// <summary>
/// Writes a definition in the document form that <c>keel pipelines apply</c> reads (JSON is YAML, so
/// the same parser reads both). The output is canonical: keys in a fixed order, so equal definitions
/// write equal bytes and hash alike.
/// </summary>
public static class PipelineDocument
{
    /// <summary>The definition as a JSON document.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="indented">Indent for people; compact for hashing.</param>
    public static string ToJson(PipelineDefinition definition, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("name", definition.Name);
            if (definition.Description is not null)
            {
                w.WriteString("description", definition.Description);
            }

            if (definition.Parameters.Count > 0)
            {
                w.WriteStartObject("params");
                foreach (var (key, value) in definition.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                    {
                        w.WriteNull(key);
                    }
                    else
                    {
                        w.WriteString(key, value);
                    }
                }

                w.WriteEndObject();
            }

            w.WriteNumber("concurrency", definition.Concurrency);
            if (definition.DedupeKey is not null)
            {
                w.WriteString("dedupe_key", definition.DedupeKey);
            }

            w.WriteStartArray("steps");
            foreach (var step in definition.Steps)
            {
                WriteStep(w, step);
            }

            w.WriteEndArray();
            if (definition.Triggers.Count > 0)
            {
                w.WriteStartArray("triggers");
                foreach (var trigger in definition.Triggers)
                {
                    WriteTrigger(w, trigger);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStep(Utf8JsonWriter w, StepDefinition step)
    {
        w.WriteStartObject();
        w.WriteString("name", step.Name);
        w.WriteString("type", step.Type);
        if (step.Params.ValueKind == JsonValueKind.Object && step.Params.EnumerateObject().Any())
        {
            w.WritePropertyName("params");
            WriteSorted(w, step.Params);
        }

        WriteMap(w, "inputs", step.Inputs);
        if (step.Outputs.Count > 0)
        {
            w.WriteStartObject("outputs");
            foreach (var (key, kind) in step.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, PipelineValueKinds.Name(kind));
            }

            w.WriteEndObject();
        }

        if (step.After.Count > 0)
        {
            w.WriteStartArray("after");
            foreach (var after in step.After)
            {
                w.WriteStringValue(after);
            }

            w.WriteEndArray();
        }

        if (step.Retries != 0)
        {
            w.WriteNumber("retries", step.Retries);
        }

        if (step.TimeoutSeconds is { } timeout)
        {
            w.WriteNumber("timeout_seconds", timeout);
        }

        if (step.Resources is { } r && (r.Cpu is not null || r.MemoryMb is not null || r.Gpu is not null))
        {
            w.WriteStartObject("resources");
            if (r.Cpu is { } cpu)
            {
                w.WriteNumber("cpu", cpu);
            }

            if (r.MemoryMb is { } memory)
            {
                w.WriteNumber("memory_mb", memory);
            }

            if (r.Gpu is { } gpu)
            {
                w.WriteNumber("gpu", gpu);
            }

            w.WriteEndObject();
        }

        if (!step.Cache)
        {
            w.WriteBoolean("cache", false);
        }

        w.WriteEndObject();
    }

    private static void WriteTrigger(Utf8JsonWriter w, TriggerDefinition t)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        switch (t.Kind)
        {
            case "schedule":
                w.WriteString("schedule", t.Cron);
                if (t.TimeZone is not null)
                {
                    w.WriteString("timezone", t.TimeZone);
                }

                w.WriteString("catch_up", t.CatchUp);
                break;
            case "dataset":
                w.WriteString("dataset", t.Dataset);
                break;
            case "alert":
                w.WriteString("alert", t.AlertRule ?? "*");
                Optional(w, "endpoint", t.Endpoint);
                Optional(w, "severity", t.Severity);
                break;
            case "registry":
                w.WriteString("registry", t.Model);
                Optional(w, "event", t.RegistryEvent);
                Optional(w, "alias", t.Alias);
                break;
            default:
                throw new ArgumentException($"Trigger '{t.Name}' has unknown kind '{t.Kind}'.", nameof(t));
        }

        if (t.DebounceSeconds != 0)
        {
            w.WriteNumber("debounce_seconds", t.DebounceSeconds);
        }

        WriteMap(w, "params", t.Params);
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a JSON value with object keys sorted, so equal values write equal bytes.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteSorted(Utf8JsonWriter w, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(w);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    WriteSorted(w, p.Value);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteSorted(w, item);
                }

                w.WriteEndArray();
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var whole):
                w.WriteNumberValue(whole);
                break;
            case JsonValueKind.Number:
                w.WriteRawValue(value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }
}
