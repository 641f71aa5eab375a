using System.Text.Json.Nodes;
using Keel.Cli.Tests.Deploy;
using Keel.Client;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Deploy;

/// <summary>`keel deploy kubernetes` against a real server and its data directory.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeployCliTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    [Fact]
    public async Task Manifests_pin_the_alias_to_the_version_it_names_now_and_are_schema_valid()
    {
        var model = "deploy-" + Guid.NewGuid().ToString("N")[..8];
        await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        await _api.RegisterLinearAsync(model, [2f, 2f, 2f], 0f);
        using var client = new KeelClient(fixture.Server.BaseUri);
        await client.SetAliasAsync(model, "champion", 1);
        var endpoint = "deploy_ep_" + Guid.NewGuid().ToString("N")[..6];
        await client.CreateEndpointAsync(endpoint, $"models:/{model}@champion");

        var first = TempDirs.Create("keel-deploy");
        var second = TempDirs.Create("keel-deploy");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", endpoint, "--output", first, "--tracking-uri", fixture.Server.BaseUri.ToString(), "--namespace", "ml", "--artifacts-destination", "s3://models/keel"]);
            Assert.True(code == 0, stderr + stdout);
            Assert.Contains($"models:/{model}/1", stdout, StringComparison.Ordinal);
            Assert.Equal(["configmap.yaml", "deployment.yaml", "hpa.yaml", "service.yaml"], Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var file in Directory.GetFiles(first))
            {
                var manifest = YamlJson.Convert(await File.ReadAllTextAsync(file))!;
                var errors = ManifestSchemas.Errors(manifest);
                Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
            }

            Assert.Equal($"models:/{model}/1", PinnedUri(first));

            // The alias moves: the endpoint keeps serving the version it was pinned to (so do the
            // manifests) until the endpoint is changed to the alias again, which pins the new version.
            await client.SetAliasAsync(model, "champion", 2);
            (code, stdout, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", endpoint, "--output", second, "--tracking-uri", fixture.Server.BaseUri.ToString()]);
            Assert.True(code == 0, stderr + stdout);
            Assert.Equal($"models:/{model}/1", PinnedUri(second));
            Directory.Delete(second, recursive: true);
            Directory.CreateDirectory(second);
            await client.SetTrafficAsync(endpoint, Keel.Core.Serving.EndpointMode.BlueGreen, $"models:/{model}@champion");
            (code, _, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", endpoint, "--output", second, "--tracking-uri", fixture.Server.BaseUri.ToString(), "--format", "kserve"]);
            Assert.True(code == 0, stderr);
            Assert.Equal(["configmap.yaml", "inferenceservice.yaml"], Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal($"models:/{model}/2", PinnedUri(second));
            var isvc = YamlJson.Convert(await File.ReadAllTextAsync(Path.Combine(second, "inferenceservice.yaml")))!;
            Assert.Empty(ManifestSchemas.Errors(isvc));
        }
        finally
        {
            TempDirs.TryDelete(first);
            TempDirs.TryDelete(second);
        }
    }

    [Fact]
    public async Task The_embedded_store_is_read_when_no_server_holds_it()
    {
        var dataDir = TempDirs.Create("keel-deploy-store");
        var output = TempDirs.Create("keel-deploy-out");
        try
        {
            await using (var server = await KeelServerProcess.StartAsync(dataDir))
            {
                using var http = new HttpClient { BaseAddress = server.BaseUri };
                await new ServingApi(http).RegisterLinearAsync("edge", [1f, 1f, 1f], 0f);
                using var client = new KeelClient(server.BaseUri);
                await client.SetAliasAsync("edge", "prod", 1);
                await client.CreateEndpointAsync("edge", "models:/edge@prod");
                Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
            }

            var (code, stdout, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", "edge", "--output", output, "--data-dir", dataDir]);
            Assert.True(code == 0, stderr + stdout);
            Assert.Equal("models:/edge/1", PinnedUri(output));

            // A replica started with the ConfigMap's spec (as the Deployment starts it) serves the
            // declared endpoint even when the store has lost it: it is created again, pinned.
            var specFile = Path.Combine(output, "endpoint.json");
            var configMap = YamlJson.Convert(await File.ReadAllTextAsync(Path.Combine(output, "configmap.yaml")))!;
            await File.WriteAllTextAsync(specFile, (string)configMap["data"]!["endpoint.json"]!);
            await using (var server = await KeelServerProcess.StartAsync(dataDir))
            {
                using var client = new KeelClient(server.BaseUri);
                await client.DeleteEndpointAsync("edge");
                Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
            }

            await using (var replica = await KeelServerProcess.StartAsync(dataDir, extraArgs: ["--endpoint-spec", specFile]))
            {
                using var client = new KeelClient(replica.BaseUri);
                using var http = new HttpClient { BaseAddress = replica.BaseUri };
                // Applied before the server listens: ready at its first answer.
                Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/v2/models/edge/ready", UriKind.Relative))).StatusCode);
                var served = await client.GetEndpointAsync("edge");
                Assert.Equal("models:/edge/1", Assert.Single(served.Endpoint!.Routes).ModelUri);
                var events = await client.ListEndpointEventsAsync("edge");
                Assert.Equal(("endpoint.create", "keel-deploy"), (events[0].Action, events[0].Actor));
            }

            // A spec that is not one stops the server at start, naming the option.
            await File.WriteAllTextAsync(specFile, "{ not json");
            var (badCode, _, badErr) = await KeelCli.RunAsync(["server", "--data-dir", dataDir, "--port", "0", "--endpoint-spec", specFile]);
            Assert.NotEqual(0, badCode);
            Assert.Contains("--endpoint-spec", badErr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
            TempDirs.TryDelete(output);
        }
    }

    [Fact]
    public async Task A_bad_option_names_it_exits_6_and_writes_nothing()
    {
        var output = Path.Combine(Path.GetTempPath(), "keel-deploy-bad-" + Guid.NewGuid().ToString("N"));
        var (code, _, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", "anything", "--output", output, "--memory", "512mb", "--tracking-uri", fixture.Server.BaseUri.ToString()]);
        Assert.Equal(6, code);
        Assert.Contains("--memory", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));

        (code, _, stderr) = await KeelCli.RunAsync(["deploy", "kubernetes", "no-such-endpoint", "--output", output, "--tracking-uri", fixture.Server.BaseUri.ToString()]);
        Assert.Equal(3, code);
        Assert.Contains("no-such-endpoint", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static string? PinnedUri(string directory)
    {
        var configMap = YamlJson.Convert(File.ReadAllText(Path.Combine(directory, "configmap.yaml")))!;
        var spec = JsonNode.Parse((string)configMap["data"]!["endpoint.json"]!)!;
        return (string?)spec["routes"]![0]!["model_uri"];
    }
}
