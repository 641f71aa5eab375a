using System.Net;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>
/// A serving process loads the model flavors, not the trainers: after `keel server` has started and
/// scored a model, neither Keel.Training nor LightGBM's native library is mapped into it.
/// </summary>
public sealed class ServingFootprintTests
{
    [Fact]
    public async Task A_server_that_scores_a_model_does_not_load_the_trainers()
    {
        // /proc/<pid>/maps lists every file the process has mapped, .NET assemblies included.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var server = await KeelServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var api = new ServingApi(http);
        var model = await api.RegisterLinearAsync("footprint", [1f, 2f, 3f], 0f);
        await api.CreateEndpointAsync("footprint", model);
        var (status, prediction, _) = await api.InferAsync("footprint", 1, 1, 1);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(6.0, prediction!.Value, 5);

        var mapped = (await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/maps"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(5))
            .OfType<string>()
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.Ordinal);

        // The check can see assemblies at all: the ones serving needs are there.
        Assert.Contains("Keel.Serving.dll", mapped);
        Assert.Contains("Keel.ML.dll", mapped);
        Assert.DoesNotContain("Keel.Training.dll", mapped);
        Assert.DoesNotContain("lib_lightgbm.so", mapped);
        // Loaded only when a LightGBM-trained model is: its model classes live there.
        Assert.DoesNotContain("Microsoft.ML.LightGbm.dll", mapped);
    }
}
