using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IModelRegistryStore"/> backend signs up to. A backend's test class
/// only says how to create a fresh, empty store; input is always valid (validation lives above the port).
/// </summary>
public abstract class ModelRegistryStoreContract : IDisposable
{
    private readonly List<IModelRegistryStore> _stores = [];
    private IModelRegistryStore? _store;

    /// <summary>Returns a fresh, empty store on every call.</summary>
    protected abstract IModelRegistryStore CreateRegistryStore();

    protected IModelRegistryStore Store => _store ??= Track(CreateRegistryStore());

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Create_and_get_a_model_with_tags()
    {
        var created = await Store.CreateRegisteredModelAsync("m", [new Tag("team", "ml")], "first", "alice");
        Assert.Equal("m", created.Name);
        Assert.Equal("first", created.Description);
        Assert.True(created.CreationTimestamp > 0);

        var read = await Store.GetRegisteredModelAsync("m");
        Assert.Equal([new Tag("team", "ml")], read.Tags);
        Assert.Empty(read.LatestVersions);
    }

    [ContractFact]
    public async Task Duplicate_and_unknown_models_are_errors()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        var exists = await AssertFailsAsync(ErrorCode.ResourceAlreadyExists, () => Store.CreateRegisteredModelAsync("m", [], null, null));
        Assert.Contains("Registered Model (name=m) already exists", exists.Message, StringComparison.Ordinal);
        var missing = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetRegisteredModelAsync("nope"));
        Assert.Contains("Registered Model with name=nope not found", missing.Message, StringComparison.Ordinal);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetModelVersionAsync("m", 1));
    }

    [ContractFact]
    public async Task Versions_are_numbered_per_model_and_not_reused()
    {
        await Store.CreateRegisteredModelAsync("a", [], null, null);
        await Store.CreateRegisteredModelAsync("b", [], null, null);
        var a1 = await NewVersionAsync("a");
        var a2 = await NewVersionAsync("a");
        var b1 = await NewVersionAsync("b");
        Assert.Equal((1L, 2L, 1L), (a1.Version, a2.Version, b1.Version));
        Assert.Equal(ModelStage.None, a1.CurrentStage);
        Assert.Equal(ModelVersionStatus.Ready, a1.Status);

        await Store.DeleteModelVersionAsync("a", 2, null);
        Assert.Equal(3L, (await NewVersionAsync("a")).Version);
    }

    [ContractFact]
    public async Task Concurrent_version_creations_get_distinct_numbers()
    {
        await Store.CreateRegisteredModelAsync("busy", [], null, null);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => NewVersionAsync("busy"))));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), created.Select(v => v.Version).Order());
        Assert.Equal(8, (await Store.ListEventsAsync("busy", 100)).Count(e => e.Action == "create_model_version"));
    }

    [ContractFact]
    public async Task Version_keeps_source_run_tags_and_description()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        await Store.CreateModelVersionAsync(new NewModelVersion("m", "s3://b/model", "run1", [new Tag("k", "v")], "", "desc", null), null);
        var v = await Store.GetModelVersionAsync("m", 1);
        Assert.Equal(("s3://b/model", "run1", "desc"), (v.Source, v.RunId, v.Description));
        Assert.Equal([new Tag("k", "v")], v.Tags);

        await Store.SetModelVersionTagAsync("m", 1, new Tag("k", "w"), null);
        await Store.SetModelVersionTagAsync("m", 1, new Tag("k2", "x"), null);
        await Store.DeleteModelVersionTagAsync("m", 1, "k2", null);
        Assert.Equal([new Tag("k", "w")], (await Store.GetModelVersionAsync("m", 1)).Tags);

        var updated = await Store.UpdateModelVersionAsync("m", 1, "new", null);
        Assert.Equal("new", updated.Description);
    }

    [ContractFact]
    public async Task Aliases_move_and_follow_deletes()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        await NewVersionAsync("m");
        await NewVersionAsync("m");
        await Store.SetAliasAsync("m", "champion", 1, null);
        Assert.Equal(1L, (await Store.GetModelVersionByAliasAsync("m", "champion")).Version);
        Assert.Equal(["champion"], (await Store.GetModelVersionAsync("m", 1)).Aliases);

        await Store.SetAliasAsync("m", "champion", 2, null);
        Assert.Equal(2L, (await Store.GetModelVersionByAliasAsync("m", "champion")).Version);
        Assert.Empty((await Store.GetModelVersionAsync("m", 1)).Aliases);
        Assert.Equal([new ModelAlias("champion", "2")], (await Store.GetRegisteredModelAsync("m")).Aliases);

        await Store.DeleteModelVersionAsync("m", 2, null);
        var missing = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetModelVersionByAliasAsync("m", "champion"));
        Assert.Contains("alias champion not found", missing.Message, StringComparison.Ordinal);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetAliasAsync("m", "x", 9, null));
    }

    [ContractFact]
    public async Task Delete_alias_removes_it()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        await NewVersionAsync("m");
        await Store.SetAliasAsync("m", "a", 1, null);
        await Store.DeleteAliasAsync("m", "a", null);
        Assert.Empty((await Store.GetRegisteredModelAsync("m")).Aliases);
    }

    [ContractFact]
    public async Task Rename_carries_versions_tags_and_aliases()
    {
        await Store.CreateRegisteredModelAsync("old", [new Tag("t", "1")], null, null);
        await NewVersionAsync("old");
        await Store.SetAliasAsync("old", "prod", 1, null);
        await Store.SetModelVersionTagAsync("old", 1, new Tag("vt", "x"), null);

        var renamed = await Store.RenameRegisteredModelAsync("old", "new", null);
        Assert.Equal("new", renamed.Name);
        Assert.Equal([new Tag("t", "1")], renamed.Tags);
        Assert.Equal([new ModelAlias("prod", "1")], renamed.Aliases);
        var v = await Store.GetModelVersionAsync("new", 1);
        Assert.Equal("new", v.Name);
        Assert.Equal([new Tag("vt", "x")], v.Tags);
        Assert.Equal(["prod"], v.Aliases);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetRegisteredModelAsync("old"));

        await Store.CreateRegisteredModelAsync("other", [], null, null);
        await AssertFailsAsync(ErrorCode.ResourceAlreadyExists, () => Store.RenameRegisteredModelAsync("other", "new", null));
    }

    [ContractFact]
    public async Task Delete_model_removes_everything()
    {
        await Store.CreateRegisteredModelAsync("m", [new Tag("t", "1")], null, null);
        await NewVersionAsync("m");
        await Store.SetAliasAsync("m", "a", 1, null);
        await Store.DeleteRegisteredModelAsync("m", null);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetRegisteredModelAsync("m"));

        await Store.CreateRegisteredModelAsync("m", [], null, null);
        var fresh = await Store.GetRegisteredModelAsync("m");
        Assert.Empty(fresh.Tags);
        Assert.Empty(fresh.Aliases);
    }

    [ContractFact]
    public async Task Transition_with_archive_moves_others_to_archived()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        for (var i = 0; i < 3; i++)
        {
            await NewVersionAsync("m");
        }

        await Store.TransitionStageAsync("m", 1, ModelStage.Production, false, null);
        await Store.TransitionStageAsync("m", 2, ModelStage.Production, false, null);
        var latest = await Store.GetLatestVersionsAsync("m", [ModelStage.Production]);
        Assert.Equal(2L, Assert.Single(latest).Version);

        var moved = await Store.TransitionStageAsync("m", 3, ModelStage.Production, true, null);
        Assert.Equal(ModelStage.Production, moved.CurrentStage);
        Assert.Equal(ModelStage.Archived, (await Store.GetModelVersionAsync("m", 1)).CurrentStage);
        Assert.Equal(ModelStage.Archived, (await Store.GetModelVersionAsync("m", 2)).CurrentStage);

        var all = await Store.GetLatestVersionsAsync("m", []);
        Assert.Equal([(2L, ModelStage.Archived), (3L, ModelStage.Production)], all.Select(v => (v.Version, v.CurrentStage)).ToList());
        Assert.Equal(2, (await Store.GetRegisteredModelAsync("m")).LatestVersions.Count);
    }

    [ContractFact]
    public async Task Archive_existing_applies_only_to_staging_and_production()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        await NewVersionAsync("m");
        await NewVersionAsync("m");
        await Store.TransitionStageAsync("m", 1, ModelStage.Archived, false, null);
        await Store.TransitionStageAsync("m", 2, ModelStage.Archived, true, null);
        Assert.Equal(ModelStage.Archived, (await Store.GetModelVersionAsync("m", 1)).CurrentStage);
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.TransitionStageAsync("m", 2, ModelStage.Archived, false, null));
    }

    [ContractFact]
    public async Task Search_models_filters_orders_and_pages()
    {
        foreach (var name in new[] { "beta", "alpha", "gamma", "other" })
        {
            await Store.CreateRegisteredModelAsync(name, name == "gamma" ? [new Tag("team", "ml")] : [], null, null);
        }

        var like = await Store.SearchRegisteredModelsAsync(ModelQuery([Where(SearchEntity.Attribute, "name", Comparator.Like, "%a")]));
        Assert.Equal(["alpha", "beta", "gamma"], like.Items.Select(m => m.Name));

        var tagged = await Store.SearchRegisteredModelsAsync(ModelQuery([Where(SearchEntity.Tag, "team", Comparator.Equal, "ml")]));
        Assert.Equal(["gamma"], tagged.Items.Select(m => m.Name));

        var desc = await Store.SearchRegisteredModelsAsync(ModelQuery([], [new OrderBy(SearchEntity.Attribute, "name", false)]));
        Assert.Equal(["other", "gamma", "beta", "alpha"], desc.Items.Select(m => m.Name));

        var first = await Store.SearchRegisteredModelsAsync(ModelQuery([], max: 3));
        Assert.True(first.HasMore);
        var second = await Store.SearchRegisteredModelsAsync(ModelQuery([], offset: 3, max: 3));
        Assert.False(second.HasMore);
        Assert.Equal(["other"], second.Items.Select(m => m.Name));
    }

    [ContractFact]
    public async Task Search_versions_by_run_version_and_tags()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, null);
        await Store.CreateRegisteredModelAsync("n", [], null, null);
        await Store.CreateModelVersionAsync(new NewModelVersion("m", "s3://x/1", "r1", [new Tag("k", "v")], "", "", null), null);
        await Store.CreateModelVersionAsync(new NewModelVersion("m", "s3://x/2", "r2", [], "", "", null), null);
        await Store.CreateModelVersionAsync(new NewModelVersion("n", "s3://y/1", "r3", [], "", "", null), null);

        var byRun = await Store.SearchModelVersionsAsync(VersionQuery([Where(SearchEntity.Attribute, "run_id", Comparator.In, new List<string> { "r1", "r3" })],
            [new OrderBy(SearchEntity.Attribute, "name", true)]));
        Assert.Equal([("m", 1L), ("n", 1L)], byRun.Items.Select(v => (v.Name, v.Version)));

        var byNumber = await Store.SearchModelVersionsAsync(VersionQuery([
            Where(SearchEntity.Attribute, "name", Comparator.Equal, "m"),
            Where(SearchEntity.Attribute, "version_number", Comparator.GreaterOrEqual, 2.0)]));
        Assert.Equal([2L], byNumber.Items.Select(v => v.Version));

        var byTag = await Store.SearchModelVersionsAsync(VersionQuery([Where(SearchEntity.Tag, "k", Comparator.Equal, "v")]));
        Assert.Equal([("m", 1L)], byTag.Items.Select(v => (v.Name, v.Version)));

        var ordered = await Store.SearchModelVersionsAsync(VersionQuery([Where(SearchEntity.Attribute, "name", Comparator.Equal, "m")], [new OrderBy(SearchEntity.Attribute, "version_number", false)], max: 1));
        Assert.Equal([2L], ordered.Items.Select(v => v.Version));
        Assert.True(ordered.HasMore);
    }

    [ContractFact]
    public async Task Every_change_is_recorded_with_actor_and_snapshots()
    {
        await Store.CreateRegisteredModelAsync("m", [], null, "alice");
        await NewVersionAsync("m", "bob");
        await Store.TransitionStageAsync("m", 1, ModelStage.Staging, false, "carol");

        var events = await Store.ListEventsAsync("m", 10);
        Assert.Equal(["transition_model_version_stage", "create_model_version", "create_registered_model"], events.Select(e => e.Action));
        Assert.Equal(["carol", "bob", "alice"], events.Select(e => e.Actor));
        var transition = events[0];
        Assert.Equal("1", transition.Version);
        Assert.Equal(("m", 1L, ModelStage.None), (transition.Before!.Version!.Name, transition.Before.Version.Version, transition.Before.Version.CurrentStage));
        Assert.Equal(ModelStage.Staging, transition.After!.Version!.CurrentStage);
        Assert.Null(transition.Before.Model);
        Assert.Null(events[2].Before);
        Assert.Equal("m", events[2].After!.Model!.Name);
        Assert.Single(await Store.ListEventsAsync(null, 1));
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var store in _stores)
        {
            (store as IDisposable)?.Dispose();
        }

        _stores.Clear();
    }

    protected IModelRegistryStore Track(IModelRegistryStore store)
    {
        _stores.Add(store);
        return store;
    }

    protected Task<ModelVersion> NewVersionAsync(string name, string? actor = null) =>
        Store.CreateModelVersionAsync(new NewModelVersion(name, "s3://bucket/" + name, "", [], "", "", null), actor);

    protected static Comparison Where(SearchEntity entity, string key, Comparator op, object? value) => new(entity, key, op, value);

    protected static RegisteredModelQuery ModelQuery(IReadOnlyList<Comparison> filter, IReadOnlyList<OrderBy>? orderBy = null, int offset = 0, int max = 100) =>
        new(filter, orderBy ?? [], offset, max);

    protected static ModelVersionQuery VersionQuery(IReadOnlyList<Comparison> filter, IReadOnlyList<OrderBy>? orderBy = null, int offset = 0, int max = 1000) =>
        new(filter, orderBy ?? [], offset, max);

    protected static async Task<KeelException> AssertFailsAsync(ErrorCode code, Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<KeelException>(action);
        Assert.Equal(code, exception.Code);
        return exception;
    }
}
