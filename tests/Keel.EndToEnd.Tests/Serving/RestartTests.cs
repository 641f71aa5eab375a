using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>Endpoints and a running rollout survive a server restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_server_restores_endpoints_and_resumes_the_rollout()
    {
        var dataDir = TempDirs.Create("keel-serving-restart");
        try
        {
            var name = "restart-ep";
            string model = "restart-model";
            await using (var first = await KeelServerProcess.StartAsync(dataDir))
            {
                using var http = new HttpClient { BaseAddress = first.BaseUri };
                var api = new ServingApi(http);
                var v1 = await api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
                var v2 = await api.RegisterLinearAsync(model, [1f, 1f, 1f], 0.001f);
                await api.CreateEndpointAsync(name, v1);
                await api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = v2, steps = new[] { 10, 50, 100 }, hold_requests = 30, policy = ServingApi.PromotionPolicy });
                await api.WaitForAsync(name, s => (int)s["endpoint"]!["rollout"]!["step_index"]! == 1, TimeSpan.FromSeconds(60), driveTraffic: true);
                first.Kill();
            }

            await using var second = await KeelServerProcess.StartAsync(dataDir);
            using var http2 = new HttpClient { BaseAddress = second.BaseUri };
            var api2 = new ServingApi(http2);
            var resumed = await api2.ShowAsync(name);
            Assert.Equal("running", ServingApi.RolloutState(resumed));
            Assert.Equal(1, (int)resumed["endpoint"]!["rollout"]!["step_index"]!);
            Assert.Equal(50, (int)resumed["endpoint"]!["routes"]![1]!["weight"]!);
            var done = await api2.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", TimeSpan.FromSeconds(60), driveTraffic: true);
            Assert.True(ServingApi.RolloutState(done) == "promoted", done.ToJsonString());
            Assert.Equal($"{model}/2", (await api2.InferAsync(name, 1, 1, 1)).Version);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
