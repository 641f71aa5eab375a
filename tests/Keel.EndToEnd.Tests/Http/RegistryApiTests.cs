using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>MLflow model-registry behaviours, black-box against a real `keel server` process.</summary>
[Collection(ServerCollection.Name)]
public sealed class RegistryApiTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    [Fact]
    public async Task Duplicate_model_is_400_resource_already_exists()
    {
        var name = await NewModelAsync();
        var (status, body) = await _api.PostAsync("registered-models/create", new { name });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", (string?)body!["error_code"]);
        Assert.Equal($"Registered Model (name={name}) already exists.", (string?)body["message"]);
    }

    [Fact]
    public async Task Unknown_model_and_version_are_404()
    {
        var (status, body) = await _api.GetAsync("registered-models/get?name=nope-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)body!["error_code"]);

        var name = await NewModelAsync();
        (status, body) = await _api.GetAsync($"model-versions/get?name={name}&version=7");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"Model Version (name={name}, version=7) not found", (string?)body!["message"]);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("LATEST")]
    [InlineData("v1")]
    [InlineData("V12")]
    [InlineData("bad alias")]
    public async Task Reserved_or_malformed_aliases_are_rejected(string alias)
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        var (status, body) = await _api.PostAsync("registered-models/alias", new { name, alias, version = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
    }

    [Fact]
    public async Task Invalid_stage_is_rejected_and_stage_is_case_insensitive()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        var (status, body) = await _api.PostAsync("model-versions/transition-stage", new { name, version = "1", stage = "Prod", archive_existing_versions = false });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid Model Version stage", (string?)body!["message"], StringComparison.Ordinal);

        var ok = await _api.OkAsync("model-versions/transition-stage", new { name, version = "1", stage = "production", archive_existing_versions = false });
        Assert.Equal("Production", (string?)ok["model_version"]!["current_stage"]);
    }

    [Fact]
    public async Task Archive_existing_versions_archives_the_previous_production()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        await NewVersionAsync(name);
        await _api.OkAsync("model-versions/transition-stage", new { name, version = "1", stage = "Production", archive_existing_versions = false });
        await _api.OkAsync("model-versions/transition-stage", new { name, version = "2", stage = "Production", archive_existing_versions = true });

        var v1 = await _api.GetOkAsync($"model-versions/get?name={name}&version=1");
        Assert.Equal("Archived", (string?)v1["model_version"]!["current_stage"]);
        var latest = await _api.GetOkAsync($"registered-models/get-latest-versions?name={name}&stages=Production");
        Assert.Equal("2", (string?)Assert.Single(latest["model_versions"]!.AsArray())!["version"]);
    }

    [Fact]
    public async Task Transition_requires_archive_existing_versions()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        var (status, body) = await _api.PostAsync("model-versions/transition-stage", new { name, version = "1", stage = "Staging" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'archive_existing_versions'", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alias_moves_and_delete_version_removes_its_aliases()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        await NewVersionAsync(name);
        await _api.OkAsync("registered-models/alias", new { name, alias = "champion", version = "1" });
        await _api.OkAsync("registered-models/alias", new { name, alias = "champion", version = "2" });
        var byAlias = await _api.GetOkAsync($"registered-models/alias?name={name}&alias=champion");
        Assert.Equal("2", (string?)byAlias["model_version"]!["version"]);
        Assert.Equal("champion", (string?)byAlias["model_version"]!["aliases"]![0]);

        var (status, _) = await _api.DeleteAsync("model-versions/delete", new { name, version = "2" });
        Assert.Equal(HttpStatusCode.OK, status);
        var (missing, body) = await _api.GetAsync($"registered-models/alias?name={name}&alias=champion");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("Registered model alias champion not found.", (string?)body!["message"]);
        var model = await _api.GetOkAsync($"registered-models/get?name={name}");
        Assert.Null(model["registered_model"]!["aliases"]);
    }

    [Fact]
    public async Task Search_model_versions_by_name_run_id_tags_and_version_number()
    {
        var experiment = await _api.CreateExperimentAsync();
        var run1 = await _api.CreateRunAsync(experiment);
        var run2 = await _api.CreateRunAsync(experiment);
        var name = await NewModelAsync();
        await _api.OkAsync("model-versions/create", new { name, source = "s3://b/1", run_id = run1, tags = new[] { new { key = "flavor", value = "onnx" } } });
        await _api.OkAsync("model-versions/create", new { name, source = "s3://b/2", run_id = run2 });
        await _api.OkAsync("model-versions/create", new { name, source = "s3://b/3", run_id = run2 });

        async Task<List<string>> VersionsAsync(string filter, string extra = "")
        {
            var json = await _api.GetOkAsync($"model-versions/search?filter={Uri.EscapeDataString(filter)}{extra}");
            return json["model_versions"]?.AsArray().Select(v => (string)v!["version"]!).ToList() ?? [];
        }

        Assert.Equal(["1"], await VersionsAsync($"name='{name}' AND run_id IN ('{run1}')"));
        Assert.Equal(["1"], await VersionsAsync($"name='{name}' AND tags.flavor = 'onnx'"));
        Assert.Equal(["3", "2"], await VersionsAsync($"name='{name}' AND version_number >= 2", "&order_by=version_number%20DESC"));
        Assert.Equal(["1", "2", "3"], await VersionsAsync($"name = '{name}'", "&order_by=version_number"));

        var page = await _api.GetOkAsync($"model-versions/search?filter={Uri.EscapeDataString($"name='{name}'")}&order_by=version_number&max_results=2");
        Assert.Equal(2, page["model_versions"]!.AsArray().Count);
        var token = (string)page["next_page_token"]!;
        var rest = await _api.GetOkAsync($"model-versions/search?filter={Uri.EscapeDataString($"name='{name}'")}&order_by=version_number&max_results=2&page_token={Uri.EscapeDataString(token)}");
        Assert.Equal("3", (string?)Assert.Single(rest["model_versions"]!.AsArray())!["version"]);
        Assert.Null(rest["next_page_token"]);
    }

    [Fact]
    public async Task Search_registered_models_by_name_like_and_tags_with_order()
    {
        var prefix = "srch" + Guid.NewGuid().ToString("N")[..8];
        await _api.OkAsync("registered-models/create", new { name = prefix + "-b" });
        await _api.OkAsync("registered-models/create", new { name = prefix + "-a", tags = new[] { new { key = "team", value = "ml" } } });
        await _api.OkAsync("registered-models/create", new { name = prefix + "-c" });

        var like = await _api.GetOkAsync($"registered-models/search?filter={Uri.EscapeDataString($"name LIKE '{prefix}%'")}&order_by=name%20DESC");
        Assert.Equal([prefix + "-c", prefix + "-b", prefix + "-a"], like["registered_models"]!.AsArray().Select(m => (string)m!["name"]!));

        var tagged = await _api.GetOkAsync($"registered-models/search?filter={Uri.EscapeDataString($"name LIKE '{prefix}%' AND tags.team = 'ml'")}");
        Assert.Equal(prefix + "-a", (string?)Assert.Single(tagged["registered_models"]!.AsArray())!["name"]);

        var (status, body) = await _api.GetAsync("registered-models/search?max_results=1001");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
    }

    [Fact]
    public async Task Rename_keeps_versions_and_patch_updates_description()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        var renamed = name + "-renamed";
        var answer = await _api.OkAsync("registered-models/rename", new { name, new_name = renamed });
        Assert.Equal(renamed, (string?)answer["registered_model"]!["name"]);
        var version = await _api.GetOkAsync($"model-versions/get?name={renamed}&version=1");
        Assert.Equal(renamed, (string?)version["model_version"]!["name"]);

        var (status, patched) = await _api.PatchAsync("registered-models/update", new { name = renamed, description = "better" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("better", (string?)patched!["registered_model"]!["description"]);
    }

    [Fact]
    public async Task Delete_with_json_body_removes_model_and_tags()
    {
        var name = await NewModelAsync();
        await _api.OkAsync("registered-models/set-tag", new { name, key = "k", value = "v" });
        var (tagStatus, _) = await _api.DeleteAsync("registered-models/delete-tag", new { name, key = "k" });
        Assert.Equal(HttpStatusCode.OK, tagStatus);
        Assert.Null((await _api.GetOkAsync($"registered-models/get?name={name}"))["registered_model"]!["tags"]);

        var (status, body) = await _api.DeleteAsync("registered-models/delete", new { name });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{}", body!.ToJsonString());
        var (missing, _) = await _api.GetAsync($"registered-models/get?name={name}");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Audit_events_record_actor_and_before_after()
    {
        var name = await NewModelAsync();
        await NewVersionAsync(name);
        var (status, _) = await _api.SendAsync(HttpMethod.Post, "model-versions/transition-stage", new { name, version = "1", stage = "Staging", archive_existing_versions = false }, user: "dana");
        Assert.Equal(HttpStatusCode.OK, status);

        var events = (await _api.GetOkAsync($"/api/2.0/keel/registry/events?name={name}"))["events"]!.AsArray();
        Assert.Equal(["transition_model_version_stage", "create_model_version", "create_registered_model"], events.Select(e => (string)e!["action"]!));
        var latest = events[0]!;
        Assert.Equal("dana", (string?)latest["actor"]);
        Assert.Equal("None", (string?)JsonNode.Parse((string)latest["before"]!)!["current_stage"]);
        Assert.Equal("Staging", (string?)JsonNode.Parse((string)latest["after"]!)!["current_stage"]);
    }

    [Fact]
    public async Task Local_source_without_run_and_dot_dot_sources_are_rejected()
    {
        var name = await NewModelAsync();
        var (local, _) = await _api.PostAsync("model-versions/create", new { name, source = "/tmp/model" });
        Assert.Equal(HttpStatusCode.BadRequest, local);
        var (dots, body) = await _api.PostAsync("model-versions/create", new { name, source = "s3://bucket/a/../../secret" });
        Assert.Equal(HttpStatusCode.BadRequest, dots);
        Assert.Contains("Invalid model version source", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Created_version_is_ready_with_string_version()
    {
        var name = await NewModelAsync();
        var version = (await _api.OkAsync("model-versions/create", new { name, source = "s3://b/m" }))["model_version"]!;
        Assert.Equal("READY", (string?)version["status"]);
        Assert.Equal("1", (string?)version["version"]);
        Assert.Equal("None", (string?)version["current_stage"]);
        Assert.Equal("", (string?)version["run_link"]);
    }

    private async Task<string> NewModelAsync()
    {
        var name = "model-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        return name;
    }

    private Task<JsonNode> NewVersionAsync(string name) => _api.OkAsync("model-versions/create", new { name, source = "s3://bucket/" + name });
}
