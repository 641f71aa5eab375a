using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Default_experiment_exists_after_creation()
    {
        var experiment = await Store.GetExperimentAsync(Experiment.DefaultId);

        Assert.Equal("Default", experiment.Name);
        Assert.Equal(LifecycleStage.Active, experiment.LifecycleStage);
        Assert.EndsWith("/0", experiment.ArtifactLocation, StringComparison.Ordinal);
        Assert.Equal("0", (await Store.GetExperimentByNameAsync("Default")).ExperimentId);
    }

    [ContractFact]
    public async Task Created_experiment_gets_next_integer_id_default_location_and_tags()
    {
        var first = await Store.CreateExperimentAsync("first", null, [new Tag("team", "ml")]);
        var second = await Store.CreateExperimentAsync("second", "s3://bucket/custom", []);

        Assert.Equal("1", first);
        Assert.Equal("2", second);
        var experiment = await Store.GetExperimentAsync(first);
        Assert.Equal("first", experiment.Name);
        Assert.EndsWith("/1", experiment.ArtifactLocation, StringComparison.Ordinal);
        Assert.Equal([new Tag("team", "ml")], experiment.Tags);
        Assert.True(experiment.CreationTime > 0);
        Assert.Equal("s3://bucket/custom", (await Store.GetExperimentByNameAsync("second")).ArtifactLocation);
    }

    [ContractFact]
    public async Task Concurrent_creations_of_one_name_make_one_experiment()
    {
        var store = Store;
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await store.CreateExperimentAsync("race", null, []);
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
            {
                return null;
            }
        })));

        var winner = Assert.Single(attempts, id => id is not null);
        Assert.Equal(winner, (await Store.GetExperimentByNameAsync("race")).ExperimentId);
    }

    [ContractFact]
    public async Task Unknown_experiment_raises_does_not_exist()
    {
        var byId = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetExperimentAsync("424242"));
        Assert.Equal("No Experiment with id=424242 exists", byId.Message);
        var byName = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetExperimentByNameAsync("nope"));
        Assert.Equal("Could not find experiment with name 'nope'", byName.Message);
    }

    [ContractFact]
    public async Task Duplicate_experiment_name_raises_already_exists()
    {
        await Store.CreateExperimentAsync("dup", null, []);

        var error = await AssertFailsAsync(ErrorCode.ResourceAlreadyExists, () => Store.CreateExperimentAsync("dup", null, []));
        Assert.Contains("Experiment(name=dup) already exists", error.Message, StringComparison.Ordinal);
        await AssertFailsAsync(ErrorCode.ResourceAlreadyExists, () => Store.CreateExperimentAsync("Default", null, []));
    }

    [ContractFact]
    public async Task Rename_requires_a_free_name()
    {
        var id = await Store.CreateExperimentAsync("old", null, []);
        await Store.CreateExperimentAsync("taken", null, []);

        await Store.RenameExperimentAsync(id, "new");
        await AssertFailsAsync(ErrorCode.ResourceAlreadyExists, () => Store.RenameExperimentAsync(id, "taken"));

        Assert.Equal("new", (await Store.GetExperimentAsync(id)).Name);
        Assert.Equal(id, (await Store.GetExperimentByNameAsync("new")).ExperimentId);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetExperimentByNameAsync("old"));
    }

    [ContractFact]
    public async Task Experiment_tag_is_set_and_overwritten()
    {
        var id = await Store.CreateExperimentAsync("tagged", null, []);

        await Store.SetExperimentTagAsync(id, new Tag("a", "1"));
        await Store.SetExperimentTagAsync(id, new Tag("b", "2"));
        await Store.SetExperimentTagAsync(id, new Tag("a", "3"));

        Assert.Equal([new Tag("a", "3"), new Tag("b", "2")], (await Store.GetExperimentAsync(id)).Tags);
    }

    [ContractFact]
    public async Task Delete_and_restore_experiment_moves_its_runs_too()
    {
        var id = await Store.CreateExperimentAsync("doomed", null, []);
        var run = await NewRunAsync(id);

        await Store.DeleteExperimentAsync(id);
        Assert.Equal(LifecycleStage.Deleted, (await Store.GetExperimentAsync(id)).LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, (await Store.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
        var create = await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => NewRunAsync(id));
        Assert.Contains("must be in the 'active' state", create.Message, StringComparison.Ordinal);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteExperimentAsync(id));

        await Store.RestoreExperimentAsync(id);
        Assert.Equal(LifecycleStage.Active, (await Store.GetExperimentAsync(id)).LifecycleStage);
        Assert.Equal(LifecycleStage.Active, (await Store.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.RestoreExperimentAsync(id));
    }

    [ContractFact]
    public async Task Search_experiments_filters_orders_and_pages()
    {
        await Store.CreateExperimentAsync("alpha", null, [new Tag("team", "Vision")]);
        await Store.CreateExperimentAsync("Beta", null, [new Tag("team", "nlp")]);
        await Store.CreateExperimentAsync("gamma", null, []);
        var deleted = await Store.CreateExperimentAsync("delta", null, []);
        await Store.DeleteExperimentAsync(deleted);

        async Task<IReadOnlyList<string>> Names(IReadOnlyList<Comparison> filter, IReadOnlyList<OrderBy> order, ViewType view = ViewType.ActiveOnly) =>
            (await Store.SearchExperimentsAsync(new ExperimentQuery(filter, view, order, 0, 100))).Items.Select(e => e.Name).ToList();

        var byName = new[] { new OrderBy(SearchEntity.Attribute, "name", true) };
        Assert.Equal(["Beta", "Default", "alpha", "gamma"], await Names([], byName));
        Assert.Equal(["Beta", "alpha", "delta", "gamma"], await Names([Where(SearchEntity.Attribute, "name", Comparator.Like, "%a")], byName, ViewType.All));
        Assert.Equal(["delta"], await Names([], byName, ViewType.DeletedOnly));
        Assert.Equal(["Beta"], await Names([Where(SearchEntity.Attribute, "name", Comparator.ILike, "b%")], byName));
        Assert.Empty(await Names([Where(SearchEntity.Attribute, "name", Comparator.Like, "b%")], byName));
        Assert.Equal(["alpha"], await Names([Where(SearchEntity.Tag, "team", Comparator.Equal, "Vision")], byName));
        // A missing tag never matches, not even !=.
        Assert.Equal(["Beta"], await Names([Where(SearchEntity.Tag, "team", Comparator.NotEqual, "Vision")], byName));
        Assert.Equal(["gamma", "Beta", "alpha", "Default"], await Names([], [new OrderBy(SearchEntity.Attribute, "experiment_id", false)]));
        Assert.Equal(["Default", "alpha", "Beta", "gamma"],
            await Names([Where(SearchEntity.Attribute, "creation_time", Comparator.GreaterOrEqual, 0.0)], [new OrderBy(SearchEntity.Attribute, "experiment_id", true)]));

        var page = await Store.SearchExperimentsAsync(new ExperimentQuery([], ViewType.ActiveOnly, byName, 1, 2));
        Assert.Equal(["Default", "alpha"], page.Items.Select(e => e.Name));
        Assert.True(page.HasMore);
        var last = await Store.SearchExperimentsAsync(new ExperimentQuery([], ViewType.ActiveOnly, byName, 2, 2));
        Assert.False(last.HasMore);
    }

    [ContractFact]
    public async Task Search_experiments_default_order_is_newest_first_then_id()
    {
        await Store.CreateExperimentAsync("one", null, []);
        await Store.CreateExperimentAsync("two", null, []);

        var page = await Store.SearchExperimentsAsync(new ExperimentQuery([], ViewType.ActiveOnly, [], 0, 10));

        var times = page.Items.Select(e => e.CreationTime).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(3, page.Items.Count);
    }
}
