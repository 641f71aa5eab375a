using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// A server left running must not be drivable by a web page the user happens to open: content
/// types, the Host header and CORS are checked, answers carry anti-sniffing and anti-framing
/// headers, and the data directory and prediction log are readable by the owner only.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SecurityTests(ServerFixture fixture)
{
    private readonly ServingApi _serving = new(fixture.Http);

    [Fact]
    public async Task A_form_or_text_post_cannot_abort_promote_or_roll_back_an_endpoint()
    {
        var model = "sec-" + Guid.NewGuid().ToString("N")[..8];
        var endpoint = "sec-" + Guid.NewGuid().ToString("N")[..8];
        await _serving.CreateEndpointAsync(endpoint, await _serving.RegisterLinearAsync(model, [1f, 1f, 1f], 0f));
        var challenger = await _serving.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        await _serving.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{endpoint}/rollout", new { model_uri = challenger, steps = new[] { 10, 100 }, hold_seconds = 3600 });
        await _serving.WaitForAsync(endpoint, s => ServingApi.RolloutState(s) == "running", TimeSpan.FromSeconds(60));
        var before = (await _serving.ShowAsync(endpoint))["endpoint"]!.ToJsonString();

        // What a cross-site HTML form or a no-preflight fetch can send.
        (string? ContentType, string? Body)[] attacks =
        [
            (null, null),
            ("text/plain", "{}"),
            ("text/plain;charset=UTF-8", """{"reason": "x"}"""),
            ("application/x-www-form-urlencoded", "reason=x"),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nx\r\n--b--"),
        ];
        foreach (var action in new[] { "abort", "promote", "rollback" })
        {
            foreach (var (contentType, body) in attacks)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/2.0/keel/endpoints/{endpoint}/{action}", UriKind.Relative));
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
                }

                using var response = await fixture.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{action} with '{contentType}' answered {(int)response.StatusCode}: {text}");
                Assert.Contains("Content-Type", (string?)JsonNode.Parse(text)!["message"], StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, (await _serving.ShowAsync(endpoint))["endpoint"]!.ToJsonString());

        // The same action as a JSON request, as the CLI and SDK send it, works.
        var aborted = await _serving.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{endpoint}/abort", new { reason = "test" });
        Assert.Equal("aborted", ServingApi.RolloutState(aborted));
    }

    [Fact]
    public async Task Every_answer_carries_nosniff_and_sameorigin()
    {
        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/health", null),
            (HttpMethod.Get, "/api/2.0/mlflow/experiments/search", null),
            (HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=987654321", null), // 404 from a handler
            (HttpMethod.Get, "/no/such/route", null), // 404 from routing
            (HttpMethod.Post, "/api/2.0/mlflow/experiments/create", "{} xyz"), // 400
        })
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await fixture.Http.SendAsync(request);
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{path}: no X-Content-Type-Options");
            Assert.Equal("nosniff", nosniff.Single());
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame), $"{path}: no X-Frame-Options");
            Assert.Equal("SAMEORIGIN", frame.Single());
        }
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused_unless_allowed()
    {
        await using (var server = await KeelServerProcess.StartAsync())
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            // DNS rebinding: the browser sends the attacker's domain as the Host.
            var (status, body) = await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "evil.example:" + server.BaseUri.Port);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("PERMISSION_DENIED", (string?)JsonNode.Parse(body)!["error_code"]);
            Assert.Contains("Invalid Host header", body, StringComparison.Ordinal);
            Assert.Contains("evil.example", server.Output, StringComparison.Ordinal);

            foreach (var host in new[] { "localhost:" + server.BaseUri.Port, "127.0.0.1:" + server.BaseUri.Port, "[::1]:" + server.BaseUri.Port, "LOCALHOST" })
            {
                (status, body) = await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", host);
                Assert.True(status == HttpStatusCode.OK, $"Host {host} answered {(int)status}: {body}");
            }

            // Load balancers probe health by address.
            (status, _) = await SendWithHostAsync(http, "/health", "10.1.2.3:8080");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        await using (var server = await KeelServerProcess.StartAsync(extraArgs: ["--allowed-hosts", "keel.internal, *.corp.example"]))
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            Assert.Equal(HttpStatusCode.OK, (await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "keel.internal:" + server.BaseUri.Port)).Status);
            Assert.Equal(HttpStatusCode.OK, (await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "ml.corp.example")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "corp.example.evil")).Status);
            // An explicit list replaces the defaults.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "localhost")).Status);
        }

        await using (var server = await KeelServerProcess.StartAsync(extraArgs: ["--allowed-hosts", "*"]))
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            Assert.Equal(HttpStatusCode.OK, (await SendWithHostAsync(http, "/api/2.0/mlflow/experiments/search", "anything.example")).Status);
        }
    }

    [Fact]
    public async Task Cors_is_closed_by_default_and_opens_only_to_the_listed_origins()
    {
        await using (var server = await KeelServerProcess.StartAsync())
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var name = "cors-" + Guid.NewGuid().ToString("N");

            // Preflight from another site: refused, no CORS headers.
            using (var preflight = await PreflightAsync(http, "http://evil.example"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, preflight.StatusCode);
                Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
            }

            // A state-changing request from another origin is refused and changes nothing.
            using (var post = await PostWithOriginAsync(http, "http://evil.example", name))
            {
                Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
                Assert.Contains("Cross-origin request blocked", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await new MlflowApi(http).GetAsync("experiments/get-by-name?experiment_name=" + name)).Status);

            // A read from another origin is answered without CORS headers, so the page cannot read it.
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/2.0/mlflow/experiments/search", UriKind.Relative)))
            {
                request.Headers.Add("Origin", "http://evil.example");
                using var get = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
                Assert.False(get.Headers.Contains("Access-Control-Allow-Origin"));
            }

            // The server's own pages may post, also when a TLS proxy in front makes their origin https.
            using (var own = await PostWithOriginAsync(http, server.BaseUri.GetLeftPart(UriPartial.Authority), name))
            {
                Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            }

            using (var proxied = await PostWithOriginAsync(http, "https://" + server.BaseUri.Host, name + "-proxied"))
            {
                Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
            }
        }

        await using (var server = await KeelServerProcess.StartAsync(extraArgs: ["--cors-allowed-origins", "http://ui.example:3000"]))
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            using (var preflight = await PreflightAsync(http, "http://ui.example:3000"))
            {
                Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
                Assert.Equal("http://ui.example:3000", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
                Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
                Assert.Contains("content-type", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
            }

            using (var post = await PostWithOriginAsync(http, "http://ui.example:3000", "cors-" + Guid.NewGuid().ToString("N")))
            {
                Assert.Equal(HttpStatusCode.OK, post.StatusCode);
                Assert.Equal("http://ui.example:3000", post.Headers.GetValues("Access-Control-Allow-Origin").Single());
            }

            using (var other = await PostWithOriginAsync(http, "http://evil.example", "cors-" + Guid.NewGuid().ToString("N")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Artifact_uploads_take_raw_bytes_but_not_forms_or_cross_site_pages()
    {
        var api = new MlflowApi(fixture.Http);
        var run = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var root = $"/api/2.0/mlflow-artifacts/artifacts/{run}";

        // MLflow's client sends each file with its guessed MIME type (text/plain for .txt), or none.
        foreach (var (file, contentType) in new[] { ("a.txt", "text/plain"), ("b.bin", null), ("c.json", "application/json"), ("d.bin", "application/octet-stream") })
        {
            using var content = new ByteArrayContent("hello"u8.ToArray());
            content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
            using var put = await fixture.Http.PutAsync(new Uri($"{root}/{file}", UriKind.Relative), content);
            Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT {file} as {contentType} answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        }

        // A text upload is fine from a client, but a page on another site cannot send one.
        using (var text = new StringContent("hello", Encoding.UTF8, "text/plain"))
        {
            using var upload = await fixture.Http.PostAsync(new Uri($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run}&path=t.txt", UriKind.Relative), text);
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run}&path=evil.txt", UriKind.Relative)))
        {
            request.Content = new StringContent("pwned", Encoding.UTF8, "text/plain");
            request.Headers.Add("Origin", "http://evil.example");
            using var crossSite = await fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
            using var listed = await fixture.Http.GetAsync(new Uri($"/api/2.0/mlflow/artifacts/list?run_id={run}", UriKind.Relative));
            Assert.DoesNotContain("evil.txt", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A POST a cross-site form could send is refused on the artifact routes.
        using var form = new StringContent("x=1", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var posted = await fixture.Http.PostAsync(new Uri("/api/2.0/mlflow-artifacts/mpu/create/" + run + "/e.bin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("Content-Type", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_directory_and_prediction_log_are_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only; Windows profile ACLs apply there.
        }

        var parent = TempDirs.Create("keel-perm");
        try
        {
            var dataDir = Path.Combine(parent, "data");
            await using var server = await KeelServerProcess.StartAsync(dataDir);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));

            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var serving = new ServingApi(http);
            var endpoint = "perm-ep";
            await serving.CreateEndpointAsync(endpoint, await serving.RegisterLinearAsync("perm-model", [1f, 1f, 1f], 0f));
            await serving.WaitForAsync(endpoint, s => s["live"]?.AsArray().All(r => (bool?)r!["ready"] == true) == true, TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, (await serving.InferAsync(endpoint, 1, 2, 3)).Status);

            var logDir = Path.Combine(dataDir, "predictions", endpoint);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Directory.Exists(logDir) || !Directory.EnumerateFiles(logDir, "*.jsonl").Any())
            {
                Assert.True(DateTime.UtcNow < deadline, "no prediction log file was written");
                await Task.Delay(50);
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dataDir, "predictions")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(logDir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Directory.EnumerateFiles(logDir, "*.jsonl").Single()));
        }
        finally
        {
            TempDirs.TryDelete(parent);
        }
    }

    [Fact]
    public async Task Prediction_log_retention_deletes_old_day_files_and_bad_settings_stop_the_server_with_their_name()
    {
        var dataDir = TempDirs.Create("keel-retention");
        try
        {
            var endpointDir = Path.Combine(dataDir, "predictions", "some-endpoint");
            Directory.CreateDirectory(endpointDir);
            var today = DateTime.UtcNow.Date;
            var old = Path.Combine(endpointDir, today.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");
            var recent = Path.Combine(endpointDir, today.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");
            var unrelated = Path.Combine(endpointDir, "notes.jsonl");
            foreach (var file in new[] { old, recent, unrelated })
            {
                await File.WriteAllTextAsync(file, "{}\n");
            }

            await using (var server = await KeelServerProcess.StartAsync(dataDir, env: new Dictionary<string, string?> { ["KEEL_PREDICTION_LOG_RETENTION_DAYS"] = "7" }))
            {
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (File.Exists(old))
                {
                    Assert.True(DateTime.UtcNow < deadline, "the 30-day-old prediction log file was not deleted");
                    await Task.Delay(50);
                }

                Assert.True(File.Exists(recent), "a file within the retention window was deleted");
                Assert.True(File.Exists(unrelated), "a file not named as a day file was deleted");
            }

            var (code, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dataDir], new Dictionary<string, string?> { ["KEEL_PREDICTION_LOG_RETENTION_DAYS"] = "soon" }, TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            Assert.Contains("KEEL_PREDICTION_LOG_RETENTION_DAYS", stderr, StringComparison.Ordinal);

            (code, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dataDir, "--prediction-log-retention-days", "0"], timeout: TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            Assert.Contains("--prediction-log-retention-days", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendWithHostAsync(HttpClient http, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient http, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/2.0/mlflow/experiments/create", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostWithOriginAsync(HttpClient http, string origin, string experimentName)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/2.0/mlflow/experiments/create", UriKind.Relative))
        {
            Content = new StringContent($$"""{"name": "{{experimentName}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        return http.SendAsync(request);
    }
}
