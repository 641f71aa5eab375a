using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Artifacts.S3;
using Keel.EndToEnd.Tests.Http;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Artifacts;

/// <summary>
/// <c>keel server --artifacts-destination s3://...</c> as a real process against a real S3 server:
/// the requests an MLflow client makes when it logs, lists and downloads artifacts through the proxy.
/// </summary>
public sealed class S3ServerTests
{
    [S3Fact]
    public async Task An_mlflow_client_logs_lists_and_downloads_artifacts_through_a_server_on_s3()
    {
        var destination = S3Location.New("server");
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--artifacts-destination", destination]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var api = new MlflowApi(http);
        var exp = await api.CreateExperimentAsync();
        var run = await api.CreateRunAsync(exp);
        var root = $"{exp}/{run}/artifacts";
        var weights = new byte[(3 * 1024 * 1024) + 17];
        new Random(5).NextBytes(weights);

        // mlflow.log_artifacts: one PUT per file, the client's Content-Type guessed from the name.
        await PutAsync(http, $"{root}/model/MLmodel", Encoding.UTF8.GetBytes("flavors:\n  onnx: {}\n"), "text/plain");
        await PutAsync(http, $"{root}/model/model.onnx", weights, "application/octet-stream");
        await PutAsync(http, $"{root}/notes/read me.txt", Encoding.UTF8.GetBytes("hello"), "text/plain");

        // MlflowClient.list_artifacts through the proxy, and the tracking API's artifacts/list.
        var listed = await api.GetOkAsync($"../mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root)}");
        Assert.Equal(["model", "notes"], listed["files"]!.AsArray().Select(f => (string)f!["path"]!));
        var model = await api.GetOkAsync($"artifacts/list?run_id={run}&path=model");
        Assert.Equal($"mlflow-artifacts:/{exp}/{run}/artifacts", (string?)model["root_uri"]);
        Assert.Equal(
            [("model/MLmodel", false, 20L), ("model/model.onnx", false, weights.LongLength)],
            model["files"]!.AsArray().Select(f => ((string)f!["path"]!, (bool)f["is_dir"]!, (long)f["file_size"]!)));

        // mlflow.artifacts.download_artifacts, the UI's get-artifact, and a ranged read.
        Assert.Equal(weights, await http.GetByteArrayAsync(ArtifactUri($"{root}/model/model.onnx")));
        Assert.Equal("hello", await http.GetStringAsync(new Uri($"/get-artifact?run_uuid={run}&path={Uri.EscapeDataString("notes/read me.txt")}", UriKind.Relative)));
        using (var request = new HttpRequestMessage(HttpMethod.Get, ArtifactUri($"{root}/model/model.onnx")))
        {
            request.Headers.Range = new RangeHeaderValue(1000, 1099);
            using var partial = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes 1000-1099/{weights.Length}", partial.Content.Headers.ContentRange!.ToString());
            Assert.Equal(weights.AsSpan(1000, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        }

        using (var missing = await http.GetAsync(ArtifactUri($"{root}/model/nope.bin")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error_code"]);
        }

        // The objects are in the bucket, under the destination's prefix, not in the data dir.
        using (var store = S3ArtifactStore.Open(destination))
        {
            Assert.Equal(weights.LongLength, Assert.Single(await store.ListAsync($"{root}/model"), e => e.Path == "model.onnx").FileSize);
        }

        Assert.Empty(Directory.EnumerateFiles(server.DataDir, "model.onnx", SearchOption.AllDirectories));

        // delete_artifacts through the proxy removes the whole tree from S3.
        using (var deleted = await http.DeleteAsync(ArtifactUri(root)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using (var store = S3ArtifactStore.Open(destination))
        {
            Assert.Empty(await store.ListAsync(null));
        }
    }

    [Fact]
    public async Task A_bad_s3_setting_stops_the_server_at_start_naming_the_variable()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KeelServerProcess.StartAsync(
            extraArgs: ["--artifacts-destination", "s3://keel-test-bucket/x"],
            env: new Dictionary<string, string?> { ["MLFLOW_S3_ENDPOINT_URL"] = "localhost:9000" }));

        Assert.Contains("MLFLOW_S3_ENDPOINT_URL 'localhost:9000' is not an S3 endpoint", OneLine(error.Message), StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<InvalidOperationException>(() => KeelServerProcess.StartAsync(
            extraArgs: ["--artifacts-destination", "s3://Bad_Bucket/x"]));

        Assert.Contains("for --artifacts-destination: bucket name 'Bad_Bucket'", OneLine(error.Message), StringComparison.Ordinal);
    }

    // The CLI wraps its error message to the console width.
    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static Uri ArtifactUri(string path) =>
        new("/api/2.0/mlflow-artifacts/artifacts/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)), UriKind.Relative);

    private static async Task PutAsync(HttpClient http, string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PutAsync(ArtifactUri(path), content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
