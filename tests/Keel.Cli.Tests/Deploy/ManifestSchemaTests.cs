using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Cli.Commands.Deploy;

namespace Keel.Cli.Tests.Deploy;

/// <summary>
/// The generated manifests are valid for the Kubernetes API (v1.32 strict schemas) and KServe's
/// InferenceService CRD, as YAML a user would apply; and the validator is shown to catch breakage.
/// </summary>
public sealed class ManifestSchemaTests
{
    public static TheoryData<string, bool> Variants() => new()
    {
        { "kubernetes", false },
        { "kubernetes", true },
        { "kserve", false },
        { "kserve", true },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_manifest_is_valid_against_its_schema(string format, bool everything)
    {
        var values = everything ? DeployFixtures.Everything(format) : new KubernetesOptionValues { Format = format };
        var manifests = Manifests(values);
        Assert.Equal(format == "kserve" ? ["ConfigMap", "InferenceService"] : ["ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler"], manifests.Select(m => (string?)m["kind"]));
        foreach (var manifest in manifests)
        {
            var errors = ManifestSchemas.Errors(manifest);
            Assert.True(errors.Count == 0, $"{manifest["kind"]}: {string.Join("; ", errors)}\n{manifest.ToJsonString()}");
        }
    }

    public static TheoryData<string, string> Breakages() => new()
    {
        // A misspelt field is what strict validation exists for; wrong types are the other catch.
        // (Kubernetes' schemas list no enum values, so a bad imagePullPolicy is only caught by the API server.)
        { "Deployment", "spec.replica=3" },
        { "Deployment", "spec.replicas=\"three\"" },
        { "Deployment", "spec.template.spec.containers.0.env.1.valueFrom.secretKeyRef.secret=keel-db" },
        { "Deployment", "spec.template.spec.containers.0.ports.0.containerPort=\"http\"" },
        { "Service", "spec.ports.0.port=\"eighty\"" },
        { "Service", "spec.clusterIp=None" },
        { "HorizontalPodAutoscaler", "spec.metrics.0.resource.target.averageUtilization=\"70%\"" },
        { "HorizontalPodAutoscaler", "spec.maxReplicas=!delete" },
        { "ConfigMap", "data.endpoint\\.json=42" },
        { "InferenceService", "spec.predictor.minReplica=1" },
        { "InferenceService", "spec.predictor.containers.0.env.1.valueFrom.secretKeyRef.key=null" },
        { "InferenceService", "apiVersion=serving.kserve.io/v1alpha1" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_manifest_is_refused(string kind, string mutation)
    {
        var format = kind == "InferenceService" ? "kserve" : "kubernetes";
        var manifest = Manifests(new KubernetesOptionValues { Format = format }).Single(m => (string?)m["kind"] == kind);
        Assert.Empty(ManifestSchemas.Errors(manifest));

        Mutate(manifest, mutation);

        Assert.NotEmpty(ManifestSchemas.Errors(manifest));
    }

    [Fact]
    public void Yaml_keeps_strings_that_look_like_numbers_or_booleans_as_strings()
    {
        var deployment = Manifests(new KubernetesOptionValues()).Single(m => (string?)m["kind"] == "Deployment");
        var template = deployment["spec"]!["template"]!;
        // Annotation values and args must stay strings, or the API server refuses the object.
        Assert.Equal(JsonValueKind.String, template["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, template["metadata"]!["annotations"]!["prometheus.io/port"]!.GetValueKind());
        var args = template["spec"]!["containers"]![0]!["args"]!.AsArray();
        Assert.All(args, a => Assert.Equal(JsonValueKind.String, a!.GetValueKind()));
        Assert.Equal(JsonValueKind.Number, deployment["spec"]!["replicas"]!.GetValueKind());
    }

    [Fact]
    public void The_endpoint_json_is_a_readable_literal_block_that_reads_back_unchanged()
    {
        var file = KubernetesManifests.Build(DeployFixtures.Canary(), DeployFixtures.Settings()).Single(f => f.Kind == "ConfigMap");
        var yaml = Yaml.Write(file.Document);
        Assert.Contains("endpoint.json: |", yaml, StringComparison.Ordinal);
        Assert.Contains("\"model_uri\": \"models:/churn/3\"", yaml, StringComparison.Ordinal);
        Assert.Equal(KubernetesManifests.SpecJson(DeployFixtures.Canary()), (string?)YamlJson.Convert(yaml)!["data"]!["endpoint.json"]);
    }

    internal static List<JsonNode> Manifests(KubernetesOptionValues values) =>
        [.. KubernetesManifests.Build(DeployFixtures.Canary(), DeployFixtures.Settings(values))
            .Select(f => YamlJson.Convert(Yaml.Write(f.Document))!)];

    /// <summary>Applies <c>a.b.0.c=JSON</c> (a bare word is a string, <c>!delete</c> removes the field; <c>\.</c> escapes a dot in a key).</summary>
    private static void Mutate(JsonNode root, string mutation)
    {
        var (path, raw) = (mutation[..mutation.IndexOf('=', StringComparison.Ordinal)], mutation[(mutation.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var keys = path.Replace("\\.", "\u0001", StringComparison.Ordinal).Split('.').Select(k => k.Replace('\u0001', '.')).ToArray();
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(raw);
        }

        var node = root;
        foreach (var key in keys[..^1])
        {
            node = int.TryParse(key, out var i) ? node[i]! : node[key]!;
        }

        if (raw == "!delete")
        {
            Assert.True(node.AsObject().Remove(keys[^1]), $"{path} is not in the manifest");
        }
        else if (node is JsonArray array)
        {
            array[int.Parse(keys[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            node[keys[^1]] = value;
        }
    }
}
