using System.Net;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>Sticky A/B, shadow and blue-green splits against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrafficSplitTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Ab_test_pins_each_key_to_one_variant_and_splits_keys_between_both()
    {
        var model = Unique("ab");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 100f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        await _api.OkAsync(HttpMethod.Put, $"/api/2.0/keel/endpoints/{name}/traffic", new { mode = "ab_test", model_uri = v2, weight = 50, sticky_key = "header:x-user" });

        var seen = new HashSet<string>();
        for (var user = 0; user < 40; user++)
        {
            var headers = new Dictionary<string, string> { ["x-user"] = $"user-{user}" };
            var (_, _, first) = await _api.InferAsync(name, 1, 0, 0, headers);
            for (var i = 0; i < 5; i++)
            {
                var (status, _, version) = await _api.InferAsync(name, 1, 0, 0, headers);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(first, version);
            }

            seen.Add(first!);
        }

        Assert.Equal([$"{model}/1", $"{model}/2"], seen.Order());
    }

    [Fact]
    public async Task Shadow_answers_are_recorded_but_never_returned()
    {
        var model = Unique("sh");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 100f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        await _api.OkAsync(HttpMethod.Put, $"/api/2.0/keel/endpoints/{name}/traffic", new { mode = "shadow", model_uri = v2 });

        for (var i = 0; i < 30; i++)
        {
            var (status, prediction, version) = await _api.InferAsync(name, i, 0, 0);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($"{model}/1", version);
            Assert.Equal(i, prediction!.Value, 4);
        }

        // The shadow's own answers are counted on its route.
        await _api.WaitForAsync(name, s => s["live"]!.AsArray().Any(r => (string?)r!["role"] == "shadow" && (long)r["requests"]! > 0), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Blue_green_switches_all_traffic_at_once_and_switches_back_on_rollback()
    {
        var model = Unique("bg");
        var blue = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        var green = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 100f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, blue);
        await _api.OkAsync(HttpMethod.Put, $"/api/2.0/keel/endpoints/{name}/traffic", new { mode = "blue_green", model_uri = green });
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"{model}/2", (await _api.InferAsync(name, 1, 0, 0)).Version);
        }

        var shown = await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollback", new { });
        Assert.Equal(blue, (string?)shown["endpoint"]!["routes"]![0]!["model_uri"]);
        Assert.Equal("standby", (string?)shown["endpoint"]!["routes"]![1]!["role"]);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"{model}/1", (await _api.InferAsync(name, 1, 0, 0)).Version);
        }
    }
}
