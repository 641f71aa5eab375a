using Keel.Core.Data;
using Keel.Core.Errors;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IDatasetStore"/> backend signs up to: a version is recorded only
/// when the content differs from the latest, concurrent equal adds record one version, aliases move
/// and are seen on datasets and versions, pages do not overlap, and every change is audited.
/// </summary>
public abstract class DatasetStoreContract : IDisposable
{
    private IDatasetStore? _store;

    /// <summary>Returns a fresh, empty store on every call.</summary>
    protected abstract IDatasetStore CreateDatasetStore();

    protected IDatasetStore Store => _store ??= CreateDatasetStore();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task A_version_is_recorded_only_when_the_content_differs_from_the_latest()
    {
        var first = await Store.AddVersionAsync(Version("iris", "aa01", profile: "{\"row_count\":150}", datasetDescription: "Fisher's irises"), "alice");
        Assert.True(first.Created);
        Assert.Equal(1, first.Version.Version);
        Assert.Equal("datasets:/iris/1", first.Version.Uri);
        Assert.Equal("alice", first.Version.CreatedBy);

        var same = await Store.AddVersionAsync(Version("iris", "aa01"), "bob");
        Assert.False(same.Created);
        Assert.Equal(1, same.Version.Version);

        Assert.Equal(2, (await Store.AddVersionAsync(Version("iris", "bb02"), "bob")).Version.Version);

        // Back to the first content: it differs from the latest, so it is a new version.
        var back = await Store.AddVersionAsync(Version("iris", "aa01"), "bob");
        Assert.Equal((3, true), (back.Version.Version, back.Created));

        var dataset = await Store.FindDatasetAsync("iris");
        Assert.NotNull(dataset);
        Assert.Equal((3L, "Fisher's irises"), (dataset.LatestVersion, dataset.Description));
        Assert.True(dataset.UpdatedAt >= dataset.CreatedAt);
        Assert.Null(await Store.FindDatasetAsync("missing"));
    }

    [ContractFact]
    public async Task A_version_round_trips_whole_and_listings_leave_out_profiles()
    {
        var added = new NewDatasetVersion(
            "wine", Digest("cafe01"), "csv", 2, 11_000, 178, "[{\"name\":\"alcohol\",\"type\":\"float\"}]", "{\"row_count\":178}", "{\"success\":true}", "/data/wine", "first cut");
        await Store.AddVersionAsync(added, "alice");
        var read = await Store.FindVersionAsync("wine", 1);
        Assert.NotNull(read);
        Assert.Equal(
            (Digest("cafe01"), "csv", 2L, 11_000L, (long?)178, added.Schema, added.Profile, added.Validation, "/data/wine", "first cut"),
            (read.ManifestDigest, read.Format, read.FileCount, read.SizeBytes, read.RowCount, read.Schema, read.Profile, read.Validation, read.Source, read.Description));
        Assert.Null(await Store.FindVersionAsync("wine", 2));
        Assert.Null(await Store.FindVersionAsync("missing", 1));

        var listed = Assert.Single((await Store.ListVersionsAsync("wine", 10, null)).Items);
        Assert.Equal((added.Schema, (string?)null, (string?)null), (listed.Schema, listed.Profile, listed.Validation));
    }

    [ContractFact]
    public async Task Versions_page_newest_first_and_datasets_page_by_name()
    {
        foreach (var digest in new[] { "d1", "d2", "d3", "d4", "d5" })
        {
            await Store.AddVersionAsync(Version("paged", digest), null);
        }

        var first = await Store.ListVersionsAsync("paged", 2, null);
        var second = await Store.ListVersionsAsync("paged", 2, first.NextPageToken);
        var third = await Store.ListVersionsAsync("paged", 2, second.NextPageToken);
        Assert.Equal([5L, 4, 3, 2, 1], first.Items.Concat(second.Items).Concat(third.Items).Select(v => v.Version));
        Assert.Null(third.NextPageToken);
        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.ListVersionsAsync("missing", 10, null));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);

        foreach (var name in new[] { "c", "a", "b" })
        {
            await Store.AddVersionAsync(Version(name, "x"), null);
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListDatasetsAsync(2, token);
            names.AddRange(page.Items.Select(d => d.Name));
            token = page.NextPageToken;
        }
        while (token is not null);
        Assert.Equal(["a", "b", "c", "paged"], names);
    }

    [ContractFact]
    public async Task Aliases_move_and_show_on_the_dataset_and_its_versions()
    {
        await Store.AddVersionAsync(Version("churn", "v1"), null);
        await Store.AddVersionAsync(Version("churn", "v2"), null);
        await Store.SetAliasAsync("churn", "production", 1, "alice");
        await Store.SetAliasAsync("churn", "candidate", 2, "alice");
        await Store.SetAliasAsync("churn", "production", 2, "bob");

        var dataset = await Store.FindDatasetAsync("churn");
        Assert.Equal(new Dictionary<string, long> { ["candidate"] = 2, ["production"] = 2 }, dataset!.Aliases);
        Assert.Equal(["candidate", "production"], (await Store.FindVersionAsync("churn", 2))!.Aliases);
        Assert.Empty((await Store.FindVersionAsync("churn", 1))!.Aliases);
        Assert.Equal(["candidate", "production"], (await Store.ListVersionsAsync("churn", 10, null)).Items[0].Aliases);

        await Store.DeleteAliasAsync("churn", "candidate", "bob");
        Assert.Equal(["production"], (await Store.FindDatasetAsync("churn"))!.Aliases.Keys);

        await AssertNotFound(() => Store.SetAliasAsync("churn", "x", 9, null));
        await AssertNotFound(() => Store.SetAliasAsync("missing", "x", 1, null));
        await AssertNotFound(() => Store.DeleteAliasAsync("churn", "candidate", null));
        await AssertNotFound(() => Store.DeleteAliasAsync("missing", "x", null));
    }

    [ContractFact]
    public async Task Update_keeps_null_fields_and_clears_empty_ones()
    {
        await Store.AddVersionAsync(Version("d", "x", datasetDescription: "first"), null);
        var suite = "{\"name\":\"s\",\"expectations\":[]}";
        var updated = await Store.UpdateDatasetAsync("d", null, suite, "alice");

        // A service in front of the store may store the suite in its canonical form: compare what it says.
        Assert.Equal(("first", "s"), (updated.Description, SuiteName(updated.Suite)));
        updated = await Store.UpdateDatasetAsync("d", "second", null, "alice");
        Assert.Equal(("second", "s"), (updated.Description, SuiteName(updated.Suite)));
        updated = await Store.UpdateDatasetAsync("d", string.Empty, string.Empty, "alice");
        Assert.Equal(((string?)null, (string?)null), (updated.Description, updated.Suite));
        await AssertNotFound(() => Store.UpdateDatasetAsync("missing", "x", null, null));
    }

    [ContractFact]
    public async Task Delete_removes_versions_and_aliases_and_the_name_can_be_reused()
    {
        await Store.AddVersionAsync(Version("gone", "x"), null);
        await Store.AddVersionAsync(Version("gone", "y"), null);
        await Store.SetAliasAsync("gone", "prod", 2, null);
        await Store.DeleteDatasetAsync("gone", "alice");
        Assert.Null(await Store.FindDatasetAsync("gone"));
        Assert.Null(await Store.FindVersionAsync("gone", 1));
        await AssertNotFound(() => Store.DeleteDatasetAsync("gone", null));

        var again = await Store.AddVersionAsync(Version("gone", "y"), null);
        Assert.Equal((1L, true), (again.Version.Version, again.Created));
        Assert.Empty((await Store.FindDatasetAsync("gone"))!.Aliases);
    }

    [ContractFact]
    public async Task Versions_are_found_by_content_digest_across_datasets()
    {
        await Store.AddVersionAsync(Version("a", "shared"), null);
        await Store.AddVersionAsync(Version("b", "other"), null);
        await Store.AddVersionAsync(Version("b", "shared"), null);
        var found = await Store.FindVersionsByDigestAsync(Digest("shared"));
        Assert.Equal([("a", 1L), ("b", 2L)], found.Select(v => (v.Name, v.Version)).Order());
        Assert.Empty(await Store.FindVersionsByDigestAsync(Digest("none")));
    }

    [ContractFact]
    public async Task Concurrent_adds_of_the_same_content_record_one_version()
    {
        await Store.AddVersionAsync(Version("race", "base"), null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.AddVersionAsync(Version("race", "new"), null))));
        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(2, r.Version.Version));
        Assert.Equal(2, (await Store.FindDatasetAsync("race"))!.LatestVersion);
    }

    [ContractFact]
    public async Task Every_change_leaves_an_audit_event()
    {
        await Store.AddVersionAsync(Version("audited", "x"), "alice");
        await Store.AddVersionAsync(Version("audited", "x"), "alice");
        await Store.SetAliasAsync("audited", "prod", 1, "bob");
        await Store.UpdateDatasetAsync("audited", "desc", null, "carol");
        await Store.DeleteAliasAsync("audited", "prod", "dan");
        var events = await Store.ListEventsAsync("audited", 10);
        Assert.Equal(["alias.delete", "dataset.update", "alias.set", "version.add"], events.Select(e => e.Action));
        Assert.Equal(["dan", "carol", "bob", "alice"], events.Select(e => e.Actor));
        Assert.Contains(Digest("x"), events[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.ListEventsAsync(null, 2)).Count);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            (_store as IDisposable)?.Dispose();
        }
    }

    private static NewDatasetVersion Version(string name, string content, string? profile = null, string? datasetDescription = null) =>
        new(name, Digest(content), "csv", 1, 100, 10, "[]", profile, null, "/tmp/" + name, null, datasetDescription);

    // Stands for a manifest digest (64 lowercase hex, as BLAKE3 gives) of the named content.
    private static string Digest(string content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    private static string? SuiteName(string? suite) => suite is null ? null : (string?)System.Text.Json.Nodes.JsonNode.Parse(suite)!["name"];

    private static async Task AssertNotFound(Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<KeelException>(action);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }
}
