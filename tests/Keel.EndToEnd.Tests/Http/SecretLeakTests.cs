using System.Net;
using System.Text;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// Secrets given to the server (the database password, webhook secrets, S3 keys) never come back:
/// not in answers, errors, the banner or the server's log.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Password = "Pw-S3cret-7f3a9";
    private const string WebhookSecret = "whsec-S3cret-2b8c1";
    private const string AwsSecret = "aws-S3cret-9d4e6";

    [PostgresServerFact]
    public async Task A_database_password_in_the_backend_store_uri_appears_in_no_answer_banner_or_log_line()
    {
        await using var database = TestPostgresSchema.Create();
        var withPassword = WithPassword(database.Uri, Password);
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--backend-store-uri", withPassword]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var answers = new StringBuilder();
        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/health", null),
            (HttpMethod.Get, "/version", null),
            (HttpMethod.Get, "/api/2.0/keel/version", null),
            (HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=987654321", null), // 404 from the store
            (HttpMethod.Post, "/api/2.0/mlflow/experiments/create", "{\"name\": \"\"}"), // 400
            (HttpMethod.Post, "/api/2.0/mlflow/experiments/create", "{\"name\": \"dup-x\"}"),
            (HttpMethod.Post, "/api/2.0/mlflow/experiments/create", "{\"name\": \"dup-x\"}"), // unique violation from PostgreSQL
            (HttpMethod.Get, "/api/2.0/keel/endpoints/nope", null),
        })
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            answers.Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        Assert.Contains("RESOURCE_ALREADY_EXISTS", answers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, answers.ToString(), StringComparison.Ordinal);
        Assert.Contains("listening on", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_without_its_password()
    {
        var dir = TempDirs.Create("keel-secret-pg");
        try
        {
            var uri = $"postgresql://keel:{Password}@127.0.0.1:{KeelServerProcess.FreePort()}/keel";
            var (code, stdout, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dir, "--backend-store-uri", uri]);
            Assert.NotEqual(0, code);
            Assert.Contains("127.0.0.1", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);

            // A malformed URI is refused naming the option, still without the password.
            (code, stdout, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dir, "--backend-store-uri", $"postgresql://keel:{Password}@127.0.0.1:notaport/keel"]);
            Assert.NotEqual(0, code);
            Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    [Fact]
    public async Task A_webhook_secret_is_never_shown_by_any_alert_route()
    {
        await using var server = await KeelServerProcess.StartAsync(env: new Dictionary<string, string?> { ["KEEL_WEBHOOK_SECRET"] = "server-" + WebhookSecret });
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var name = "leak-" + Guid.NewGuid().ToString("N")[..8];
        string Rule(string n) => $$"""{"name": "{{n}}", "endpoint": "some-endpoint", "metric": "error_rate", "window": "5m", "warning": 0.1, "webhooks": ["http://127.0.0.1:9/hook"], "secret": "{{WebhookSecret}}"}""";
        var rule = Rule(name);

        var answers = new StringBuilder();
        async Task SendAsync(HttpStatusCode expected, HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            answers.Append(text).Append('\n');
            Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        await SendAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/2.0/keel/alerts/rules/{name}", rule);
        await SendAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/2.0/keel/alerts/rules", $$"""{"rules": [{{Rule(name + "-b")}}]}""");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/2.0/keel/alerts/rules/{name}");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/2.0/keel/alerts/rules");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/2.0/keel/alerts/rules?endpoint=some-endpoint");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/2.0/keel/alerts/evaluate", "{}");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/2.0/keel/alerts");
        await SendAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/2.0/keel/alerts/events");
        // A conflicting update answers with the rule as stored: still without the secret.
        await SendAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/2.0/keel/alerts/rules/{name}", rule.Replace("}", ", \"expected_version\": 99}", StringComparison.Ordinal));
        await SendAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/api/2.0/keel/alerts/rules/{name}", "{}");

        var text = answers.ToString();
        Assert.Contains("\"has_secret\":true", text.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_s3_secret_key_appears_in_no_error_or_log_line()
    {
        var dir = TempDirs.Create("keel-secret-s3");
        try
        {
            // An S3 endpoint that does not answer: every artifact call fails, and says why without the key.
            var env = new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = "AKIAKEELTEST",
                ["AWS_SECRET_ACCESS_KEY"] = AwsSecret,
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["MLFLOW_S3_ENDPOINT_URL"] = $"http://127.0.0.1:{KeelServerProcess.FreePort()}",
                ["AWS_MAX_ATTEMPTS"] = "1",
            };
            await using var server = await KeelServerProcess.StartAsync(dataDir: dir, extraArgs: ["--artifacts-destination", "s3://keel-bucket/artifacts"], env: env);
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            var answers = new StringBuilder();
            foreach (var path in new[] { "/api/2.0/mlflow-artifacts/artifacts?path=", "/api/2.0/mlflow-artifacts/artifacts/x/y.txt" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                Assert.False(response.IsSuccessStatusCode, path);
                answers.Append(await response.Content.ReadAsStringAsync());
            }

            using (var put = await http.PutAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/x/z.txt", UriKind.Relative), new ByteArrayContent([1, 2, 3])))
            {
                Assert.False(put.IsSuccessStatusCode);
                answers.Append(await put.Content.ReadAsStringAsync());
            }

            Assert.Contains("S3", answers.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(AwsSecret, answers.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(AwsSecret, server.Output, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    private static string WithPassword(string uri, string password)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var scheme = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var user = at < 0 ? "postgres" : uri[scheme..at].Split(':')[0];
        var rest = at < 0 ? uri[scheme..] : uri[(at + 1)..];
        return uri[..scheme] + user + ":" + password + "@" + rest;
    }
}
