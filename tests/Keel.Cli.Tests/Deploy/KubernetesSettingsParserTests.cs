using Keel.Cli.Commands.Deploy;
using Keel.Core.Errors;

namespace Keel.Cli.Tests.Deploy;

/// <summary>Every option value is checked before anything is read or written; the message names the option and the rule.</summary>
public sealed class KubernetesSettingsParserTests
{
    private static readonly (string Option, KubernetesOptionValues Values)[] Cases =
    [
        ("--format", new() { Format = "helm" }),
        ("--name", new() { Name = "Keel_Churn" }),
        ("--name", new() { Name = "9keel" }),
        ("--name", new() { Name = new string('k', 64) }),
        ("--name", new() { Name = new string('k', 50), Format = "kserve" }),
        ("--namespace", new() { Namespace = "ML" }),
        ("--image", new() { Image = "keel server:1" }),
        ("--image", new() { Image = "" }),
        ("--min-replicas", new() { MinReplicas = 0 }),
        ("--max-replicas", new() { MinReplicas = 4, MaxReplicas = 3 }),
        ("--max-replicas", new() { MaxReplicas = 5000 }),
        ("--replicas", new() { Replicas = 11 }),
        ("--replicas", new() { Replicas = 1 }),
        ("--target-cpu-utilization", new() { TargetCpuUtilization = 0 }),
        ("--target-cpu-utilization", new() { TargetCpuUtilization = 150 }),
        ("--cpu", new() { Cpu = "half" }),
        ("--cpu", new() { Cpu = "0" }),
        ("--cpu", new() { Cpu = "-1" }),
        ("--memory", new() { Memory = "512mb" }),
        ("--memory", new() { Memory = "0Mi" }),
        ("--cpu-limit", new() { Cpu = "1", CpuLimit = "500m" }),
        ("--memory-limit", new() { Memory = "1Gi", MemoryLimit = "512Mi" }),
        ("--port", new() { Port = 80 }),
        ("--port", new() { Port = 70000 }),
        ("--service-type", new() { ServiceType = "Ingress" }),
        ("--backend-store-uri-secret", new() { BackendStoreSecret = "postgresql://u:p@db/keel" }),
        ("--s3-credentials-secret", new() { S3CredentialsSecret = "Keel S3" }),
        ("--artifacts-destination", new() { ArtifactsDestination = "/var/keel/artifacts" }),
        ("--artifacts-destination", new() { ArtifactsDestination = "s3://key:secret@bucket/prefix" }),
        ("--s3-endpoint-url", new() { S3EndpointUrl = "minio:9000" }),
        ("--s3-endpoint-url", new() { S3EndpointUrl = "http://key:secret@minio:9000" }),
        ("--allowed-hosts", new() { AllowedHosts = "keel.example.com,bad host" }),
    ];

    public static TheoryData<string, int> BadValues()
    {
        var data = new TheoryData<string, int>();
        for (var i = 0; i < Cases.Length; i++)
        {
            data.Add(Cases[i].Option, i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_refused_naming_the_option(string option, int index)
    {
        var e = Assert.Throws<KeelException>(() => KubernetesSettingsParser.Parse("churn", Cases[index].Values, "keel:0.1.0"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_name_that_cannot_be_a_kubernetes_name_asks_for_name()
    {
        var e = Assert.Throws<KeelException>(() => KubernetesSettingsParser.Parse("churn_", new KubernetesOptionValues(), "keel:0.1.0"));
        Assert.Contains("--name", e.Message, StringComparison.Ordinal);
        Assert.Equal("churn-model", KubernetesSettingsParser.Parse("churn_", new KubernetesOptionValues { Name = "churn-model" }, "keel:0.1.0").Name);
    }

    [Fact]
    public void Defaults_are_sane_and_case_is_forgiven_where_kubernetes_has_one_spelling()
    {
        var s = KubernetesSettingsParser.Parse("Churn_Scorer", new KubernetesOptionValues { ServiceType = "nodeport", Format = "KServe" }, "keel:0.1.0");
        Assert.Equal("keel-churn-scorer", s.Name);
        Assert.Equal("NodePort", s.ServiceType);
        Assert.Equal(ManifestFormat.Kserve, s.Format);
        Assert.Equal(2, s.Replicas);
        Assert.Equal("512Mi", s.MemoryLimit);
        Assert.Null(s.CpuLimit);
        Assert.Equal("keel:0.1.0", s.Image);
    }
}
