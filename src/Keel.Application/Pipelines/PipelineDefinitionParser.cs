using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>
/// Reads a pipeline definition from YAML or JSON. Unknown keys are refused (a typo must not fall
/// back to a default) and every error is INVALID_PARAMETER_VALUE naming the field by its path, e.g.
/// <c>steps[2] (train).retries</c>. Graph checks (cycles, unknown step types, type mismatches) are
/// <see cref="PipelineValidator"/>'s.
/// </summary>
public static partial class PipelineDefinitionParser
{
    private static readonly string[] TopKeys = ["name", "description", "params", "steps", "triggers", "concurrency", "dedupe_key"];
    private static readonly string[] StepKeys = ["name", "type", "params", "inputs", "outputs", "after", "retries", "timeout_seconds", "resources", "cache"];
    private static readonly string[] TriggerKeys = ["name", "schedule", "timezone", "catch_up", "dataset", "alert", "endpoint", "severity", "registry", "event", "alias", "params", "debounce_seconds"];

    /// <summary>The most steps a pipeline may have.</summary>
    public const int MaxSteps = 200;

    /// <summary>Parses a definition.</summary>
    /// <param name="text">YAML or JSON text.</param>
    public static PipelineDefinition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 1_000_000)
        {
            throw KeelException.InvalidParameter("Pipeline definition is larger than 1,000,000 characters.");
        }

        var root = YamlJson.Read(text, "Pipeline definition");
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw KeelException.InvalidParameter("Pipeline definition must be a mapping with 'name' and 'steps'.");
        }

        Keys(root, string.Empty, TopKeys);
        var name = String(root, "name", string.Empty) ?? throw Missing("name");
        CheckPipelineName(name, "name");
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Get(root, "params") is { } ps)
        {
            foreach (var p in Object(ps, "params").EnumerateObject())
            {
                CheckName(p.Name, $"params.{p.Name}");
                parameters[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : Scalar(p.Value, $"params.{p.Name}");
            }
        }

        var stepsNode = Get(root, "steps") ?? throw Missing("steps");
        if (stepsNode.ValueKind != JsonValueKind.Array || stepsNode.GetArrayLength() == 0)
        {
            throw KeelException.InvalidParameter("Field 'steps' must be a non-empty list of steps.");
        }

        if (stepsNode.GetArrayLength() > MaxSteps)
        {
            throw KeelException.InvalidParameter($"Field 'steps' has {stepsNode.GetArrayLength()} steps; at most {MaxSteps} are allowed.");
        }

        var steps = new List<StepDefinition>();
        var i = 0;
        foreach (var s in stepsNode.EnumerateArray())
        {
            steps.Add(ParseStep(s, i++));
        }

        var triggers = new List<TriggerDefinition>();
        if (Get(root, "triggers") is { } ts && ts.ValueKind != JsonValueKind.Null)
        {
            if (ts.ValueKind != JsonValueKind.Array)
            {
                throw KeelException.InvalidParameter("Field 'triggers' must be a list.");
            }

            i = 0;
            foreach (var t in ts.EnumerateArray())
            {
                triggers.Add(ParseTrigger(t, i++));
            }
        }

        var concurrency = Int(root, "concurrency", string.Empty) ?? 1;
        if (concurrency is < 1 or > 1000)
        {
            throw KeelException.InvalidParameter("Field 'concurrency' must be between 1 and 1000.");
        }

        return new PipelineDefinition(name, String(root, "description", string.Empty), parameters, steps, triggers, concurrency, String(root, "dedupe_key", string.Empty));
    }

    private static StepDefinition ParseStep(JsonElement s, int index)
    {
        var at = $"steps[{index}]";
        Object(s, at);
        var name = String(s, "name", at + ".") ?? throw Missing($"{at}.name");
        CheckStepName(name, $"{at}.name");
        at = $"steps[{index}] ({name})";
        Keys(s, at + ".", StepKeys);
        var type = String(s, "type", at + ".") ?? throw Missing($"{at}.type");
        var parameters = Get(s, "params") is { ValueKind: not JsonValueKind.Null } p ? Object(p, $"{at}.params") : JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(s, "inputs") is { ValueKind: not JsonValueKind.Null } ins)
        {
            foreach (var input in Object(ins, $"{at}.inputs").EnumerateObject())
            {
                CheckName(input.Name, $"{at}.inputs.{input.Name}");
                inputs[input.Name] = Scalar(input.Value, $"{at}.inputs.{input.Name}");
            }
        }

        var outputs = new Dictionary<string, PipelineValueKind>(StringComparer.Ordinal);
        if (Get(s, "outputs") is { ValueKind: not JsonValueKind.Null } outs)
        {
            foreach (var output in Object(outs, $"{at}.outputs").EnumerateObject())
            {
                CheckName(output.Name, $"{at}.outputs.{output.Name}");
                var kindName = output.Value.ValueKind == JsonValueKind.String ? output.Value.GetString() : null;
                outputs[output.Name] = PipelineValueKinds.Parse(kindName)
                    ?? throw KeelException.InvalidParameter($"Field '{at}.outputs.{output.Name}' must be one of {string.Join(", ", PipelineValueKinds.All)}.");
            }
        }

        var after = new List<string>();
        if (Get(s, "after") is { ValueKind: not JsonValueKind.Null } a)
        {
            if (a.ValueKind == JsonValueKind.String)
            {
                after.Add(a.GetString()!);
            }
            else if (a.ValueKind == JsonValueKind.Array)
            {
                after.AddRange(a.EnumerateArray().Select((x, j) => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw KeelException.InvalidParameter($"Field '{at}.after[{j}]' must be a step name.")));
            }
            else
            {
                throw KeelException.InvalidParameter($"Field '{at}.after' must be a step name or a list of step names.");
            }
        }

        var retries = Int(s, "retries", at + ".") ?? 0;
        if (retries is < 0 or > 10)
        {
            throw KeelException.InvalidParameter($"Field '{at}.retries' must be between 0 and 10.");
        }

        var timeout = Int(s, "timeout_seconds", at + ".");
        if (timeout is < 1 or > 7 * 24 * 3600)
        {
            throw KeelException.InvalidParameter($"Field '{at}.timeout_seconds' must be between 1 and 604800 (a week).");
        }

        StepResources? resources = null;
        if (Get(s, "resources") is { ValueKind: not JsonValueKind.Null } r)
        {
            Keys(Object(r, $"{at}.resources"), $"{at}.resources.", ["cpu", "memory_mb", "gpu"]);
            var cpu = Double(r, "cpu", $"{at}.resources.");
            var memory = Int(r, "memory_mb", $"{at}.resources.");
            var gpu = Int(r, "gpu", $"{at}.resources.");
            if (cpu is <= 0 or > 1024 || memory is < 1 || gpu is < 0)
            {
                throw KeelException.InvalidParameter($"Field '{at}.resources' must hold positive 'cpu' (≤ 1024), 'memory_mb' ≥ 1 and 'gpu' ≥ 0.");
            }

            resources = new StepResources(cpu, memory, gpu);
        }

        var cache = Get(s, "cache") is { } c
            ? c.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw KeelException.InvalidParameter($"Field '{at}.cache' must be true or false."),
            }
            : true;
        return new StepDefinition(name, type, parameters, inputs, outputs, after, retries, timeout, resources, cache);
    }

    private static TriggerDefinition ParseTrigger(JsonElement t, int index)
    {
        var at = $"triggers[{index}]";
        Object(t, at);
        var name = String(t, "name", at + ".") ?? throw Missing($"{at}.name");
        CheckStepName(name, $"{at}.name");
        at = $"triggers[{index}] ({name})";
        Keys(t, at + ".", TriggerKeys);
        string[] kinds = ["schedule", "dataset", "alert", "registry"];
        var present = kinds.Where(k => Get(t, k) is not null).ToList();
        if (present.Count != 1)
        {
            throw KeelException.InvalidParameter($"Trigger '{at}' must have exactly one of 'schedule', 'dataset', 'alert' or 'registry'.");
        }

        var kind = present[0];
        string[] allowed = kind switch
        {
            "schedule" => ["schedule", "timezone", "catch_up"],
            "dataset" => ["dataset"],
            "alert" => ["alert", "endpoint", "severity"],
            _ => ["registry", "event", "alias"],
        };
        foreach (var key in new[] { "timezone", "catch_up", "endpoint", "severity", "event", "alias" })
        {
            if (Get(t, key) is not null && !allowed.Contains(key))
            {
                throw KeelException.InvalidParameter($"Field '{at}.{key}' does not apply to a {kind} trigger.");
            }
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(t, "params") is { ValueKind: not JsonValueKind.Null } ps)
        {
            foreach (var p in Object(ps, $"{at}.params").EnumerateObject())
            {
                parameters[p.Name] = Scalar(p.Value, $"{at}.params.{p.Name}");
            }
        }

        var debounce = Int(t, "debounce_seconds", at + ".") ?? 0;
        if (debounce is < 0 or > 86_400)
        {
            throw KeelException.InvalidParameter($"Field '{at}.debounce_seconds' must be between 0 and 86400.");
        }

        var catchUp = String(t, "catch_up", at + ".") ?? "latest";
        if (catchUp is not ("skip" or "latest" or "all"))
        {
            throw KeelException.InvalidParameter($"Field '{at}.catch_up' must be skip, latest or all.");
        }

        var severity = String(t, "severity", at + ".");
        if (severity is not (null or "warning" or "critical"))
        {
            throw KeelException.InvalidParameter($"Field '{at}.severity' must be warning or critical.");
        }

        var registryEvent = String(t, "event", at + ".");
        if (kind == "registry")
        {
            registryEvent ??= "version_created";
            if (registryEvent is not ("version_created" or "alias_set"))
            {
                throw KeelException.InvalidParameter($"Field '{at}.event' must be version_created or alias_set.");
            }
        }

        var target = String(t, kind, at + ".");
        if (string.IsNullOrEmpty(target))
        {
            throw KeelException.InvalidParameter($"Field '{at}.{kind}' must not be empty.");
        }

        return new TriggerDefinition(
            name, kind, parameters, debounce,
            Cron: kind == "schedule" ? target : null,
            TimeZone: String(t, "timezone", at + "."),
            CatchUp: catchUp,
            Dataset: kind == "dataset" ? target : null,
            AlertRule: kind == "alert" && target != "*" ? target : null,
            Endpoint: String(t, "endpoint", at + "."),
            Severity: severity,
            Model: kind == "registry" ? target : null,
            RegistryEvent: registryEvent,
            Alias: String(t, "alias", at + "."));
    }

    /// <summary>Checks a pipeline or parameter name.</summary>
    /// <param name="value">The name.</param>
    /// <param name="field">The field, for the message.</param>
    public static void CheckName(string value, string field)
    {
        if (!NamePattern().IsMatch(value))
        {
            throw KeelException.InvalidParameter($"Field '{field}' must be 1-128 characters: letters, digits, '_', '-' or '.', starting with a letter or digit (got '{Clip(value)}').");
        }
    }

    /// <summary>Checks a pipeline's name: a name, and not one of the API's own path words.</summary>
    /// <param name="value">The name.</param>
    /// <param name="field">The field, for the message.</param>
    public static void CheckPipelineName(string value, string field)
    {
        CheckName(value, field);
        if (value is "runs" or "events" or "step-types" or "store")
        {
            throw KeelException.InvalidParameter($"Field '{field}': '{value}' is reserved by the pipelines API; choose another name.");
        }
    }

    /// <summary>Checks a step's or trigger's name.</summary>
    /// <param name="value">The name.</param>
    /// <param name="field">The field, for the message.</param>
    internal static void CheckStepName(string value, string field)
    {
        if (!StepNamePattern().IsMatch(value))
        {
            throw KeelException.InvalidParameter($"Field '{field}' must be 1-64 characters: letters, digits, '_' or '-', starting with a letter (got '{Clip(value)}').");
        }
    }

    private static string Clip(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static KeelException Missing(string field) => KeelException.InvalidParameter($"Field '{field}' is required.");

    private static JsonElement? Get(JsonElement obj, string key) => obj.TryGetProperty(key, out var v) ? v : null;

    private static JsonElement Object(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Object ? value : throw KeelException.InvalidParameter($"Field '{field}' must be a mapping.");

    private static void Keys(JsonElement obj, string prefix, string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                throw KeelException.InvalidParameter($"Field '{prefix}{p.Name}' is not a known field; expected one of {string.Join(", ", allowed)}.");
            }
        }
    }

    private static string? String(JsonElement obj, string key, string prefix) => Get(obj, key) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => Scalar(v, prefix + key),
    };

    private static string Scalar(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw KeelException.InvalidParameter($"Field '{field}' must be a text, number or boolean value."),
    };

    private static int? Int(JsonElement obj, string key, string prefix) => Get(obj, key) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
        _ => throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a whole number."),
    };

    private static double? Double(JsonElement obj, string key, string prefix) => Get(obj, key) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        _ => throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a number."),
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex StepNamePattern();

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
