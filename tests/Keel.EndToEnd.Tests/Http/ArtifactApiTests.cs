using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>The mlflow-artifacts proxy, black-box.</summary>
[Collection(ServerCollection.Name)]
public sealed class ArtifactApiTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    private static Uri ArtifactUri(string path) => new("/api/2.0/mlflow-artifacts/artifacts/" + path, UriKind.Relative);

    [Fact]
    public async Task Upload_list_download_delete_round_trip()
    {
        var exp = await _api.CreateExperimentAsync();
        var run = await _api.CreateRunAsync(exp);
        var root = $"{exp}/{run}/artifacts";
        var big = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(big);
        using (var content = new ByteArrayContent(big))
        {
            content.Headers.ContentType = new("application/octet-stream");
            using var put = await fixture.Http.PutAsync(ArtifactUri(root + "/model/weights.bin"), content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var content = new StringContent("hello", Encoding.UTF8, "text/plain"))
        {
            using var put = await fixture.Http.PutAsync(ArtifactUri(root + "/notes.txt"), content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var list = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root)}", UriKind.Relative)))!;
        var files = list["files"]!.AsArray();
        Assert.Contains(files, f => (string?)f!["path"] == "model" && (bool)f["is_dir"]! && f["file_size"] is null);
        Assert.Contains(files, f => (string?)f!["path"] == "notes.txt" && (long)f["file_size"]! == 5);

        var downloaded = await fixture.Http.GetByteArrayAsync(ArtifactUri(root + "/model/weights.bin"));
        Assert.Equal(big, downloaded);

        using var text = await fixture.Http.GetAsync(ArtifactUri(root + "/notes.txt"));
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);

        var tracking = (await _api.GetAsync($"artifacts/list?run_id={run}&path=model")).Body!;
        Assert.Equal($"mlflow-artifacts:/{exp}/{run}/artifacts", (string?)tracking["root_uri"]);
        Assert.Equal("model/weights.bin", (string?)tracking["files"]![0]!["path"]);

        using var del = await fixture.Http.DeleteAsync(ArtifactUri(root + "/notes.txt"));
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        using var gone = await fixture.Http.GetAsync(ArtifactUri(root + "/notes.txt"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("1/x/artifacts/../../../../etc/passwd")]
    [InlineData("1/x/artifacts/%2e%2e/%2e%2e/%2e%2e/secret")]
    [InlineData("1/x/artifacts/..%2f..%2f..%2fsecret")]
    [InlineData("1/x/artifacts/%252e%252e/%252e%252e/%252e%252e/secret")]
    public async Task Traversal_is_rejected(string path)
    {
        // Raw request line: HttpClient (System.Uri) would normalise the dot segments away before sending.
        var status = await RawHttp.SendAsync(fixture.Server.BaseUri, "PUT", "/api/2.0/mlflow-artifacts/artifacts/" + path, "x");
        Assert.Equal(400, status);
        Assert.Empty(Directory.EnumerateFiles(fixture.Server.DataDir, "secret", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(fixture.Server.DataDir, "passwd", SearchOption.AllDirectories));
        Assert.Equal(400, await RawHttp.SendAsync(fixture.Server.BaseUri, "GET", "/api/2.0/mlflow-artifacts/artifacts/" + path, null));
        using var list = await fixture.Http.GetAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString("../../.."), UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
    }

    [Fact]
    public async Task Multipart_create_tells_clients_to_fall_back()
    {
        var (status, body) = await _api.PostAsync("../mlflow-artifacts/mpu/create/1/x/artifacts/big.bin", new { path = "big.bin", num_parts = 3 });
        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.StartsWith("Multipart upload is not supported for the current artifact repository", (string?)body!["message"], StringComparison.Ordinal);
    }
}
