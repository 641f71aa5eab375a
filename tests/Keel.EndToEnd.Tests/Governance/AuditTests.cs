using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Core.Backends;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>The audit log as a user meets it: changes made through the API appear with who, before and after; "at" answers the past; an edited row fails verify.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuditTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Moving_a_registry_alias_over_the_api_is_audited_with_actor_before_and_after()
    {
        var model = Unique("aud");
        await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 1f);
        await SendAsUserAsync("alice", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion", ["version"] = "1" });
        await SendAsUserAsync("bob", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion", ["version"] = "2" });

        var page = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/audit/events?resource={Uri.EscapeDataString(model + "@champion")}");
        var events = page["events"]!.AsArray();
        Assert.Equal(2, events.Count);
        var moved = events[0]!;
        Assert.Equal(("bob", "registered_model.alias.set", "registered_model"), ((string)moved["actor"]!, (string)moved["action"]!, (string)moved["resource_type"]!));
        Assert.Equal("1", (string?)JsonNode.Parse((string)moved["before"]!)!["version"]);
        Assert.Equal("2", (string?)JsonNode.Parse((string)moved["after"]!)!["version"]);
        var first = events[1]!;
        Assert.Equal("alice", (string)first["actor"]!);
        Assert.Null(first["before"]);
        Assert.True((long)moved["sequence"]! > (long)first["sequence"]!);

        // The versions' own registration is there too, by model version.
        var versions = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/audit/events?resource_type=model_version&action=model_version.create&resource={Uri.EscapeDataString(model + "/2")}");
        Assert.Single(versions["events"]!.AsArray());
    }

    [Fact]
    public async Task Audit_at_names_the_version_that_served_at_a_past_time_after_a_later_change()
    {
        var model = Unique("at");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 1f);
        var name = Unique("ep");
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/2.0/keel/endpoints", new JsonObject { ["name"] = name, ["model_uri"] = v1, ["environment"] = "staging" });
        var created = (await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/audit/events?resource_type=endpoint&resource={name}"))["events"]!.AsArray().Single()!;
        var before = (long)created["timestamp"]!;

        // The later change must carry a later time than the one asked about.
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= before)
        {
            await Task.Yield();
        }

        await SendAsUserAsync("dave", HttpMethod.Put, $"/api/2.0/keel/endpoints/{name}/traffic", new JsonObject { ["mode"] = "blue_green", ["model_uri"] = v2 });

        var past = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/audit/at?time={before.ToString(CultureInfo.InvariantCulture)}&endpoint={name}");
        var served = past["traffic"]!.AsArray().Single()!;
        Assert.Equal((model, "1", 100), ((string)served["model"]!, (string)served["version"]!, (int)served["percent"]!));
        Assert.Equal(("carol", "endpoint.create"), ((string)past["changed_by"]!, (string)past["action"]!));
        Assert.Null(past["approval"]);

        var iso = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture);
        var now = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/audit/at?time={Uri.EscapeDataString(iso)}&endpoint={name}");
        var live = now["traffic"]!.AsArray().First(t => (int)t!["percent"]! == 100)!;
        Assert.Equal("2", (string)live["version"]!);
        Assert.Equal("dave", (string)now["changed_by"]!);

        // The CLI answers the same over the server.
        var (code, stdout, stderr) = await KeelCli.RunAsync(["audit", "at", before.ToString(CultureInfo.InvariantCulture), "--endpoint", name, "--tracking-uri", fixture.Http.BaseAddress!.ToString(), "--output", "json"]);
        Assert.True(code == 0, stderr);
        Assert.Equal("1", (string)JsonNode.Parse(stdout)!["traffic"]![0]!["version"]!);
    }

    [Fact]
    public async Task A_row_edited_in_the_database_makes_keel_audit_verify_fail_naming_it()
    {
        await using var servers = new InProcessServers();
        var (client, services) = servers.Start(new Keel.Server.KeelServerOptions());
        var uri = client.TrackingUri.ToString();
        using var http = new HttpClient { BaseAddress = client.TrackingUri };
        var api = new ServingApi(http);
        await api.OkAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create", new { name = "tamper" });
        await api.OkAsync(HttpMethod.Patch, "/api/2.0/mlflow/registered-models/update", new { name = "tamper", description = "one" });
        await api.OkAsync(HttpMethod.Patch, "/api/2.0/mlflow/registered-models/update", new { name = "tamper", description = "two" });

        var intact = await KeelCli.RunAsync(["audit", "verify", "--tracking-uri", uri]);
        Assert.True(intact.ExitCode == 0, intact.Stderr);
        Assert.Contains("Intact", intact.Stdout, StringComparison.Ordinal);

        var path = services.GetRequiredService<IMetadataBackend>().Description;
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_events SET after = replace(after, 'one', 'uno') WHERE seq = 2";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await KeelCli.RunAsync(["audit", "verify", "--tracking-uri", uri]);
        Assert.Equal(9, broken.ExitCode);
        Assert.Contains("BROKEN at event 2", broken.Stderr, StringComparison.Ordinal);

        var json = await KeelCli.RunAsync(["audit", "verify", "--tracking-uri", uri, "--output", "json"]);
        var answer = JsonNode.Parse(json.Stdout)!;
        Assert.Equal((false, 2L, "hash_mismatch"), ((bool)answer["intact"]!, (long)answer["broken_sequence"]!, (string)answer["problem"]!));

        // The export carries every event with its hashes, one per line.
        var export = await KeelCli.RunAsync(["audit", "export", "--tracking-uri", uri]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal([1L, 2L, 3L], lines.Select(l => (long)JsonNode.Parse(l)!["sequence"]!));
    }

    private async Task SendAsUserAsync(string user, HttpMethod method, string path, JsonNode body)
    {
        var (status, json, response) = await _api.SendAsync(method, path, body.ToJsonString(), new Dictionary<string, string> { ["X-Keel-User"] = user });
        using (response)
        {
            Assert.True(status == HttpStatusCode.OK, $"{method} {path} answered {(int)status}: {json?.ToJsonString()}");
        }
    }
}
