using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace Keel.Cli.Tests.Deploy;

/// <summary>The vendored schemas (see Schemas/README.md), one per kind, and validation against them.</summary>
internal static class ManifestSchemas
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new(StringComparer.Ordinal);

    // Kubernetes schemas carry x-kubernetes-* extensions (list and map semantics for server-side
    // apply); they are annotations to a validator, so they are allowed and otherwise ignored.
    private static readonly BuildOptions Options = new()
    {
        Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true),
    };

    private static readonly Dictionary<string, (string ApiVersion, string File)> Kinds = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = ("v1", "configmap-v1.json"),
        ["Deployment"] = ("apps/v1", "deployment-apps-v1.json"),
        ["Service"] = ("v1", "service-v1.json"),
        ["HorizontalPodAutoscaler"] = ("autoscaling/v2", "horizontalpodautoscaler-autoscaling-v2.json"),
        ["InferenceService"] = ("serving.kserve.io/v1beta1", "inferenceservice-serving.kserve.io-v1beta1.json"),
    };

    private static JsonSchema Load(string file)
    {
        // Some carry "$schema": "http://json-schema.org/schema#" (no draft); the dialect is chosen here instead.
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", file)))!.AsObject();
        root.Remove("$schema");
        return JsonSchema.FromText(root.ToJsonString(), Options, new Uri($"https://keel.test/schemas/{file}"));
    }

    /// <summary>The schema errors of a manifest (empty when valid), found by its kind.</summary>
    public static IReadOnlyList<string> Errors(JsonNode manifest)
    {
        var kind = (string?)manifest["kind"] ?? throw new Xunit.Sdk.XunitException("manifest has no kind");
        if (!Kinds.TryGetValue(kind, out var known))
        {
            return [$"unknown kind {kind}"];
        }

        // The CRD schema leaves apiVersion and kind free; the API server routes on them, so check them here.
        if ((string?)manifest["apiVersion"] != known.ApiVersion)
        {
            return [$"apiVersion {(string?)manifest["apiVersion"]} is not {known.ApiVersion}"];
        }

        var schema = Loaded.GetOrAdd(known.File, static file => Load(file));
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(manifest), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }
}
