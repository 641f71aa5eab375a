using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Golden;

/// <summary>
/// Replays the 69 recorded MLflow 2.12.2 client/server pairs against a fresh `keel server` process,
/// in order (later calls depend on earlier ones), and checks each answer.
/// </summary>
public sealed class GoldenReplayTests : IClassFixture<GoldenReplayTests.Replay>
{
    private readonly Replay _replay;

    public GoldenReplayTests(Replay replay)
    {
        _replay = replay;
    }

    public static TheoryData<int> Pairs()
    {
        var data = new TheoryData<int>();
        foreach (var p in GoldenPair.Load())
        {
            data.Add(p.Index);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Pair_replays_like_mlflow(int index)
    {
        var outcome = _replay.Outcomes[index];
        Assert.True(outcome.Problem is null, $"{outcome.Pair}: {outcome.Problem}");
    }

    [Fact]
    public void Recording_has_69_pairs()
    {
        Assert.Equal(69, GoldenPair.Load().Count);
    }

    public sealed record Outcome(GoldenPair Pair, string? Problem);

    /// <summary>Runs the whole replay once for the class.</summary>
    public sealed class Replay : IAsyncLifetime
    {
        // Artifact bodies were not recorded; these sizes match the recording's later listing.
        private static readonly Dictionary<string, string> ArtifactBodies = new(StringComparer.Ordinal)
        {
            ["hello.txt"] = "hi",
            ["cfg.json"] = "{\"k\": \"v12\"}",
        };

        private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
        private KeelServerProcess? _server;

        public Dictionary<int, Outcome> Outcomes { get; } = [];

        public async Task InitializeAsync()
        {
            _server = await KeelServerProcess.StartAsync();
            using var http = new HttpClient { BaseAddress = _server.BaseUri };
            foreach (var pair in GoldenPair.Load())
            {
                string? problem;
                try
                {
                    problem = await ReplayOneAsync(http, pair);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
                {
                    problem = ex.ToString();
                }

                Outcomes[pair.Index] = new Outcome(pair, problem);
            }
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }

        private async Task<string?> ReplayOneAsync(HttpClient http, GoldenPair pair)
        {
            var url = Substitute(pair.Path) + (pair.Query.Length > 0 ? "?" + Substitute(pair.Query) : string.Empty);
            using var request = new HttpRequestMessage(new HttpMethod(pair.Method), url);
            if (pair.Method == "PUT")
            {
                var name = pair.Path[(pair.Path.LastIndexOf('/') + 1)..];
                request.Content = new StringContent(ArtifactBodies[name], Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(pair.RequestContentType ?? "application/octet-stream");
            }
            else if (pair.RequestBody.Length > 0)
            {
                request.Content = new StringContent(Substitute(pair.RequestBody), Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(pair.RequestContentType ?? "application/json");
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != pair.Status)
            {
                return $"status {(int)response.StatusCode}, expected {pair.Status}; body: {body}";
            }

            if (pair.ResponseBody == "<streamed>")
            {
                // Downloads: the recording holds no body; the content is what was uploaded.
                if (pair.Status == 200 && pair.Method == "GET" && pair.Path.Contains("/mlflow-artifacts/artifacts/", StringComparison.Ordinal))
                {
                    var name = pair.Path[(pair.Path.LastIndexOf('/') + 1)..];
                    return body == ArtifactBodies[name] ? null : $"downloaded '{body}', expected '{ArtifactBodies[name]}'";
                }

                return null;
            }

            if (pair.ResponseContentType == "application/json" && response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return $"content type {response.Content.Headers.ContentType}, expected application/json";
            }

            if (pair.ResponseContentType != "application/json")
            {
                return body == pair.ResponseBody ? null : $"body '{body}', expected '{pair.ResponseBody}'";
            }

            using var actual = JsonDocument.Parse(body);
            LearnIds(JsonDocument.Parse(pair.ResponseBody).RootElement, actual.RootElement);
            using var expected = JsonDocument.Parse(Substitute(pair.ResponseBody));
            return JsonComparer.Diff(expected.RootElement, actual.RootElement);
        }

        /// <summary>Maps recorded server-generated values (run ids, generated run names) to Keel's.</summary>
        private void LearnIds(JsonElement recorded, JsonElement actual)
        {
            if (recorded.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in recorded.EnumerateObject())
                {
                    if (!actual.TryGetProperty(p.Name, out var a))
                    {
                        continue;
                    }

                    if (p.Name is "run_id" or "run_uuid" or "run_name" && p.Value.ValueKind == JsonValueKind.String && a.ValueKind == JsonValueKind.String)
                    {
                        _ids.TryAdd(p.Value.GetString()!, a.GetString()!);
                    }
                    else
                    {
                        LearnIds(p.Value, a);
                    }
                }
            }
            else if (recorded.ValueKind == JsonValueKind.Array && actual.ValueKind == JsonValueKind.Array)
            {
                foreach (var (r, a) in recorded.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    LearnIds(r, a);
                }
            }
        }

        private string Substitute(string text)
        {
            foreach (var (recorded, mine) in _ids)
            {
                text = text.Replace(recorded, mine, StringComparison.Ordinal);
            }

            return text;
        }
    }
}
