using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// The artifact routes MLflow's UI and clients use, against the default server (artifacts proxied):
/// content types, the "Invalid path" rule on every route, <c>/get-artifact</c>,
/// <c>/model-versions/get-artifact</c> and <c>upload-artifact</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ArtifactRoutesTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    private HttpClient Http => fixture.Http;

    [Theory]
    [InlineData("a.txt", "text/plain")]
    [InlineData("b.pkl", "application/octet-stream")]
    [InlineData("c.png", "image/png")]
    [InlineData("d.pdf", "application/pdf")]
    [InlineData("MLmodel", "text/plain")]
    [InlineData("mlproject", "text/plain")]
    [InlineData("conda.yaml", "text/plain")]
    [InlineData("metrics.json", "text/plain")]
    [InlineData("page.html", "text/html")]
    [InlineData("noextension", "application/octet-stream")]
    public async Task Downloads_carry_the_content_type_MLflow_sets_whatever_the_client_asks(string name, string expected)
    {
        var (_, run, root) = await NewRunAsync();
        await PutAsync($"{root}/dir/{name}", "x");

        foreach (var url in new[] { ProxyUrl($"{root}/dir/{name}"), $"/get-artifact?run_id={run}&path=dir/{name}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, response.Content.Headers.ContentType?.ToString());
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(name, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("x", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("../path")]
    [InlineData("a/../../b")]
    [InlineData("%2e%2e/b")]
    [InlineData("a#b")]
    [InlineData("C:/windows")]
    public async Task Every_route_refuses_an_unsafe_path_with_Invalid_path(string path)
    {
        var (_, run, _) = await NewRunAsync();
        var escaped = Uri.EscapeDataString(path);
        foreach (var url in new[]
        {
            $"/api/2.0/mlflow/artifacts/list?run_id={run}&path={escaped}",
            $"/ajax-api/2.0/mlflow/artifacts/list?run_id={run}&path={escaped}",
            $"/api/2.0/mlflow-artifacts/artifacts?path={escaped}",
            $"/get-artifact?run_id={run}&path={escaped}",
            $"/model-versions/get-artifact?name=no-such-model&version=1&path={escaped}",
        })
        {
            using var response = await Http.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body["error_code"]);
            Assert.Equal("Invalid path", (string?)body["message"]);
        }
    }

    [Fact]
    public async Task Listing_an_absolute_path_is_refused_not_read_as_relative()
    {
        var (_, run, root) = await NewRunAsync();
        await PutAsync($"{root}/etc/motd", "not the real one");

        var (status, body) = await _api.GetAsync($"artifacts/list?run_id={run}&path=%2Fetc");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid path", (string?)body!["message"]);

        var relative = await _api.GetOkAsync($"artifacts/list?run_id={run}&path=etc");
        Assert.Equal("etc/motd", (string?)relative["files"]![0]!["path"]);
    }

    [Fact]
    public async Task A_doubled_slash_reaches_the_same_route_as_MLflow_merges_it()
    {
        // An absolute URI: a relative "//x" would name a host.
        using var response = await Http.GetAsync(new Uri(fixture.Server.BaseUri.AbsoluteUri.TrimEnd('/') + "//model-versions/get-artifact?name=m&version=1&path=..%2Fx"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid path", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Get_artifact_serves_a_run_file_and_names_what_is_missing()
    {
        var (_, run, root) = await NewRunAsync();
        await PutAsync($"{root}/a.txt", "abcdefg");

        Assert.Equal("abcdefg", await Http.GetStringAsync(new Uri($"/get-artifact?run_uuid={run}&path=a.txt", UriKind.Relative)));

        using var missing = await Http.GetAsync(new Uri($"/get-artifact?run_id={run}&path=nope.txt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var noPath = await Http.GetAsync(new Uri($"/get-artifact?run_id={run}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, noPath.StatusCode);
        Assert.Contains("'path'", await noPath.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_version_get_artifact_reads_the_version_files_wherever_its_source_points()
    {
        var (_, run, root) = await NewRunAsync();
        await PutAsync($"{root}/model/MLmodel", "flavors: {}");
        var name = "mv-art-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        await _api.OkAsync("model-versions/create", new { name, source = $"runs:/{run}/model", run_id = run });
        await _api.OkAsync("model-versions/create", new { name, source = $"mlflow-artifacts:/{root}/model", run_id = run });

        foreach (var version in new[] { "1", "2" })
        {
            using var response = await Http.GetAsync(new Uri($"/model-versions/get-artifact?name={name}&version={version}&path=MLmodel", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("flavors: {}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Upload_artifact_writes_into_the_run_and_get_artifact_reads_it_back()
    {
        var (_, run, _) = await NewRunAsync();
        using (var content = new StringContent("hello world"))
        {
            content.Headers.ContentType = null;
            using var response = await Http.PostAsync(new Uri($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run}&path=notes/test.txt", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("hello world", await Http.GetStringAsync(new Uri($"/get-artifact?run_uuid={run}&path=notes/test.txt", UriKind.Relative)));
        var listed = await _api.GetOkAsync($"artifacts/list?run_id={run}&path=notes");
        Assert.Equal("notes/test.txt", (string?)listed["files"]![0]!["path"]);
    }

    [Theory]
    [InlineData("", "x", "Request must specify run_uuid.")]
    [InlineData("run_uuid={run}", "x", "Request must specify path.")]
    [InlineData("run_uuid={run}&path=", "x", "Request must specify path.")]
    [InlineData("run_uuid={run}&path=../test.txt", "x", "Invalid path")]
    [InlineData("run_uuid={run}&path=%2Fetc%2Fx", "x", "Invalid path")]
    [InlineData("run_uuid={run}&path=test.txt", "", "Request must specify data.")]
    public async Task Upload_artifact_refuses_bad_requests_and_writes_nothing(string query, string body, string message)
    {
        var (_, run, _) = await NewRunAsync();
        using var content = new StringContent(body);
        using var response = await Http.PostAsync(new Uri("/ajax-api/2.0/mlflow/upload-artifact?" + query.Replace("{run}", run, StringComparison.Ordinal), UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json["error_code"]);
        Assert.Equal(message, (string?)json["message"]);
        Assert.Null((await _api.GetOkAsync($"artifacts/list?run_id={run}"))["files"]);
    }

    [Fact]
    public async Task Upload_artifact_refuses_more_than_10_MB_and_writes_nothing()
    {
        var (_, run, _) = await NewRunAsync();
        using var content = new ByteArrayContent(new byte[(10 * 1024 * 1024) + 1]);
        using var response = await Http.PostAsync(new Uri($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run}&path=big.bin", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Artifact size is too large. Max size is 10MB.", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
        Assert.Null((await _api.GetOkAsync($"artifacts/list?run_id={run}"))["files"]);
    }

    [Theory]
    [InlineData("x.tmp")]
    [InlineData(".x.tmp")]
    [InlineData(".hidden")]
    [InlineData("model.part")]
    public async Task Files_with_temp_like_names_are_listed_and_downloaded_like_any_other(string name)
    {
        var (_, run, root) = await NewRunAsync();
        await PutAsync($"{root}/model/{name}", "user data");
        await PutAsync($"{root}/model/MLmodel", "m");

        var files = (await _api.GetOkAsync($"artifacts/list?run_id={run}&path=model"))["files"]!.AsArray().Select(f => (string?)f!["path"]).ToList();
        Assert.Equal(new[] { $"model/{name}", "model/MLmodel" }.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        Assert.Equal("user data", await Http.GetStringAsync(new Uri($"/get-artifact?run_id={run}&path=model/{name}", UriKind.Relative)));
    }

    [Fact]
    public async Task The_staging_directory_is_neither_listed_nor_reachable()
    {
        var (_, _, root) = await NewRunAsync();
        await PutAsync($"{root}/a.txt", "a");

        var top = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts", UriKind.Relative)))!;
        Assert.DoesNotContain(top["files"]!.AsArray(), f => ((string?)f!["path"])!.StartsWith(".keel", StringComparison.Ordinal));

        using var content = new StringContent("x");
        using var put = await Http.PutAsync(new Uri(ProxyUrl(".keel-staging/evil.part"), UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        using var list = await Http.GetAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts?path=.keel-staging", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
    }

    private static string ProxyUrl(string path) => "/api/2.0/mlflow-artifacts/artifacts/" + path;

    private async Task<(string Experiment, string Run, string Root)> NewRunAsync()
    {
        var exp = await _api.CreateExperimentAsync();
        var run = await _api.CreateRunAsync(exp);
        return (exp, run, $"{exp}/{run}/artifacts");
    }

    private async Task PutAsync(string path, string text)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        using var response = await Http.PutAsync(new Uri(ProxyUrl(path), UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
