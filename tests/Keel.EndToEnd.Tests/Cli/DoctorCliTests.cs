using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// <c>keel doctor</c> as users run it: a fresh installation passes, a data directory Keel cannot
/// write fails with a fix (exit 9), PostgreSQL and Redis are reached and reported, a closed port is
/// named, an unknown KEEL_ variable warns, and <c>-o json</c> has the documented shape.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DoctorCliTests(ServerFixture fixture)
{
    private const int ChecksFailed = 9;

    [Fact]
    public async Task A_fresh_data_dir_passes_every_check_in_the_documented_json_shape()
    {
        var dataDir = Path.Combine(TempDirs.Create("keel-e2e-doctor"), "fresh");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--data-dir", dataDir, "-o", "json"]);
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["config", "environment", "data-dir", "backend-store", "artifacts", "online-store", "server"], checks.Select(c => c.GetProperty("name").GetString()));
        foreach (var check in checks)
        {
            Assert.Contains(check.GetProperty("status").GetString(), new[] { "ok", "skipped" });
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("finding").GetString()));
            Assert.Equal(JsonValueKind.Null, check.GetProperty("fix").ValueKind);
            Assert.Equal(JsonValueKind.Object, check.GetProperty("details").ValueKind);
        }

        Assert.Equal("ok", checks[2].GetProperty("status").GetString());
        Assert.True(checks[2].GetProperty("details").GetProperty("writable").GetBoolean());
        Assert.False(Directory.Exists(dataDir), "doctor looks, it creates nothing");
    }

    [Fact]
    public async Task A_data_dir_keel_cannot_write_fails_with_a_fix_and_exit_code_9()
    {
        var root = TempDirs.Create("keel-e2e-doctor");
        string dataDir;
        if (Environment.UserName != "root" && !OperatingSystem.IsWindows())
        {
            var locked = Path.Combine(root, "locked");
            Directory.CreateDirectory(locked);
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            dataDir = Path.Combine(locked, "data");
        }
        else
        {
            // root writes through any mode bits: a path under a regular file cannot be created by anyone.
            var file = Path.Combine(root, "a-file");
            await File.WriteAllTextAsync(file, "not a directory");
            dataDir = Path.Combine(file, "data");
        }

        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--data-dir", dataDir, "--check", "data-dir"]);
        Assert.True(code == ChecksFailed, stdout + stderr);
        Assert.Contains("FAIL", stdout, StringComparison.Ordinal);
        Assert.Contains("data-dir", stdout, StringComparison.Ordinal);
        Assert.Contains("1 check(s) failed", stdout, StringComparison.Ordinal);

        var (_, json, _) = await KeelCli.RunAsync(["doctor", "--data-dir", dataDir, "--check", "data-dir", "-o", "json"]);
        using var report = JsonDocument.Parse(json);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains("--data-dir", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_keel_variable_warns_with_the_one_meant_and_still_exits_0()
    {
        var dataDir = TempDirs.Create("keel-e2e-doctor");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--data-dir", dataDir, "--check", "environment", "-o", "json"],
            new Dictionary<string, string?> { ["KEEL_DATADIR"] = "/tmp/typo" });
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("warn", check.GetProperty("status").GetString());
        Assert.Contains("unknown variable KEEL_DATADIR, did you mean KEEL_DATA_DIR?", check.GetProperty("finding").GetString(), StringComparison.Ordinal);
        Assert.Contains("KEEL_DATA_DIR", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_server_is_healthy_and_runs_this_version()
    {
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--check", "server", "--tracking-uri", fixture.Server.BaseUri.ToString(), "-o", "json"]);
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("ok", check.GetProperty("status").GetString());
        var details = check.GetProperty("details");
        Assert.True(details.GetProperty("reachable").GetBoolean());
        Assert.Equal(details.GetProperty("cli_version").GetString(), details.GetProperty("server_version").GetString());
        Assert.True(details.GetProperty("latency_ms").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_server_with_sign_in_and_no_credentials_warns_with_how_to_log_in()
    {
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--auth"],
            env: new Dictionary<string, string?> { ["KEEL_ADMIN_USERNAME"] = "root", ["KEEL_ADMIN_PASSWORD"] = "root-password-1" });
        var nowhere = Path.Combine(TempDirs.Create("keel-e2e-doctor"), "no-credentials");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--check", "server", "--tracking-uri", server.BaseUri.ToString(), "-o", "json"],
            new Dictionary<string, string?> { ["KEEL_CREDENTIALS_FILE"] = nowhere });
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("warn", check.GetProperty("status").GetString());
        Assert.Contains("requires sign-in and no credentials are set", check.GetProperty("finding").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("keel login --tracking-uri", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("required", check.GetProperty("details").GetProperty("sign_in").GetString());
    }

    [PostgresServerFact]
    public async Task PostgreSQL_is_reported_with_its_version_and_migrated_state()
    {
        await using var schema = TestPostgresSchema.Create();
        // Any command on the database migrates it, as a server would at start.
        var (listCode, _, listErr) = await KeelCli.RunAsync(["experiments", "list", "--tracking-uri", schema.Uri]);
        Assert.True(listCode == 0, listErr);

        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--check", "backend-store", "-o", "json"],
            new Dictionary<string, string?> { ["KEEL_BACKEND_STORE_URI"] = schema.Uri });
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("ok", check.GetProperty("status").GetString());
        var details = check.GetProperty("details");
        Assert.StartsWith("PostgreSQL ", details.GetProperty("server_version").GetString(), StringComparison.Ordinal);
        Assert.Equal("KEEL_BACKEND_STORE_URI", details.GetProperty("source").GetString());
        Assert.True(details.GetProperty("schema_version").GetInt32() > 0);
        Assert.Equal(details.GetProperty("latest_schema_version").GetInt32(), details.GetProperty("schema_version").GetInt32());
        Assert.Contains("(latest)", check.GetProperty("finding").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSQL_on_a_closed_port_fails_as_unreachable_naming_host_and_port()
    {
        var port = ClosedPort();
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--check", "backend-store", "--backend-store-uri", $"postgresql://keel@127.0.0.1:{port}/keel", "-o", "json"]);
        Assert.True(code == ChecksFailed, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("fail", check.GetProperty("status").GetString());
        var finding = check.GetProperty("finding").GetString();
        Assert.Contains("unreachable", finding, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", finding, StringComparison.Ordinal);
        Assert.Contains($"-p {port}", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task Redis_as_online_store_answers_with_its_version()
    {
        var dataDir = TempDirs.Create("keel-e2e-doctor");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--data-dir", dataDir, "--check", "online-store", "--online-store", RedisFactAttribute.Uri!, "-o", "json"]);
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("ok", check.GetProperty("status").GetString());
        Assert.Matches(@"^Redis \d+\.\d+", check.GetProperty("details").GetProperty("server_version").GetString());
    }

    [S3Fact]
    public async Task An_s3_artifacts_destination_takes_a_probe_object_through_the_store()
    {
        var destination = S3Location.New("doctor");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["doctor", "--check", "artifacts", "--artifacts-destination", destination, "-o", "json"]);
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("ok", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("details").GetProperty("writable").GetBoolean());

        // A bucket that does not exist: the write is refused, and the fix says what to check.
        var (badCode, badOut, badErr) = await KeelCli.RunAsync(["doctor", "--check", "artifacts", "--artifacts-destination", $"s3://keel-doctor-missing-{Guid.NewGuid():N}"[..40], "-o", "json"]);
        Assert.True(badCode == ChecksFailed, badOut + badErr);
        using var bad = JsonDocument.Parse(badOut);
        var failed = Assert.Single(bad.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("fail", failed.GetProperty("status").GetString());
        Assert.Contains("bucket exists", failed.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("AWS_ACCESS_KEY_ID", failed.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    // A port nothing listens on: bound by the system, then released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
