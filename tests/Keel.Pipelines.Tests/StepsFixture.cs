using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Application;
using Keel.Application.Data;
using Keel.Application.OpenLineage;
using Keel.Application.Pipelines;
using Keel.Artifacts;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Keel.Pipelines.Steps;
using Keel.Storage.Sqlite;

namespace Keel.Pipelines.Tests;

/// <summary>
/// Real stores in a temp dir (SQLite metadata, local artifacts), the bundled breast-cancer data
/// added as <c>datasets:/breast-cancer/1</c> with its suite, and one model trained once by the
/// <c>train</c> step and shared by the tests that need a model.
/// </summary>
public sealed class StepsFixture : IAsyncLifetime
{
    private readonly SqliteTrackingStore _tracking;
    private readonly SqliteModelRegistryStore _registry;
    private readonly SqliteDatasetStore _datasets;
    private readonly SemaphoreSlim _trainOnce = new(1, 1);
    private StepOutcome? _trained;
    private int _runs;

    public StepsFixture()
    {
        Root = Directory.CreateTempSubdirectory("keel-pipeline-steps-").FullName;
        var db = Path.Combine(Root, "keel.db");
        _tracking = new SqliteTrackingStore(db);
        _registry = new SqliteModelRegistryStore(db);
        _datasets = new SqliteDatasetStore(db);
        var artifacts = new LocalArtifactStore(Path.Combine(Root, "artifacts"));
        var datasets = new DatasetService(_datasets, artifacts);
        Services = new PipelineServices(
            new TrackingService(_tracking),
            new RegistryService(_registry, _tracking),
            datasets,
            artifacts,
            new ModelRepository(_tracking, _registry, artifacts, Path.Combine(Root, "model-cache")),
            new DatasetWorkflow(datasets, artifacts, Path.Combine(Root, "cache"), new OpenLineageEmitter(new OpenLineageSettings(null, null, null, "keel-test"))),
            null,
            Path.Combine(Root, "cache"));
    }

    public string Root { get; }

    public PipelineServices Services { get; }

    public const string Dataset = "datasets:/breast-cancer/1";

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public async Task InitializeAsync()
    {
        var suite = await File.ReadAllTextAsync(DataFile("breast_cancer.suite.json"));
        var added = await Services.Data.AddAsync(DataFile("breast_cancer.csv"), "breast-cancer", null, "test", null, CancellationToken.None, suite);
        Assert.Equal(Dataset, added.Version!.Uri);
    }

    public async Task DisposeAsync()
    {
        await Services.Data.DisposeAsync();
        _tracking.Dispose();
        _registry.Dispose();
        _datasets.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checkouts are read-only; a leftover temp dir is harmless.
        }
    }

    /// <summary>A step as a pipeline would define it.</summary>
    public static StepDefinition Step(string name, string type, string paramsJson = "{}", IReadOnlyDictionary<string, string>? inputs = null) =>
        new(name, type, JsonDocument.Parse(paramsJson).RootElement.Clone(), inputs ?? new Dictionary<string, string>(), new Dictionary<string, PipelineValueKind>(), []);

    /// <summary>A context as the runner builds it: a step MLflow run (unless <paramref name="tracking"/> is off), a fresh work dir, a log.</summary>
    public async Task<(StepContext Context, List<string> Log)> ContextAsync(StepDefinition step, IReadOnlyDictionary<string, string> inputs, bool tracking = true)
    {
        var run = Interlocked.Increment(ref _runs);
        string? mlflowRun = null;
        if (tracking)
        {
            var experiment = await ExperimentAsync("pipelines/steps-test");
            mlflowRun = (await Services.Tracking.CreateRunAsync(experiment, "test", step.Name, null, [new Tag("keel.pipeline.step", step.Name)])).Info.RunId;
        }

        var log = new List<string>();
        var work = Path.Combine(Root, "work", run.ToString(CultureInfo.InvariantCulture), step.Name);
        var context = new StepContext(run, "steps-test", step, step.Params, inputs, new Dictionary<string, string>(), mlflowRun, 1, work, line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        });
        return (context, log);
    }

    /// <summary>Runs <paramref name="type"/> on a step built from the arguments, as the runner would.</summary>
    public async Task<(StepOutcome Outcome, StepContext Context, List<string> Log)> RunAsync(
        IStepType type, string paramsJson, IReadOnlyDictionary<string, string> inputs, bool tracking = true)
    {
        var step = Step(type.Name + "-step", type.Name, paramsJson, inputs);
        type.Validate(step);
        var (context, log) = await ContextAsync(step, inputs, tracking);
        var outcome = await type.RunAsync(context, CancellationToken.None);
        foreach (var output in type.OutputsOf(step))
        {
            Assert.True(outcome.Outputs.ContainsKey(output.Name), $"output '{output.Name}' missing");
        }

        return (outcome, context, log);
    }

    /// <summary>A local copy of an output URI (runs:/…, datasets:/… or a path).</summary>
    public async Task<string> LocalAsync(string uri) =>
        (await StepArtifacts.LocalCopyAsync(Services, uri, Path.Combine(Root, "downloads", Guid.NewGuid().ToString("N")), CancellationToken.None)).Path;

    public async Task<string> ReadTextAsync(string uri) => await File.ReadAllTextAsync(await LocalAsync(uri));

    /// <summary>The model trained by the train step (3 trials, one trainer, registered as breast-cancer-model), trained once.</summary>
    public async Task<StepOutcome> TrainedAsync()
    {
        await _trainOnce.WaitAsync();
        try
        {
            _trained ??= (await RunAsync(
                new TrainStep(Services),
                """{"label": "diagnosis", "task": "binary", "trials": 3, "trainers": ["lbfgs"], "parallelism": 1, "register_as": "breast-cancer-model"}""",
                new Dictionary<string, string> { ["dataset"] = Dataset })).Outcome;
            return _trained;
        }
        finally
        {
            _trainOnce.Release();
        }
    }

    /// <summary>A copy of the breast-cancer CSV with each line changed by <paramref name="change"/> (header first).</summary>
    public string DerivedCsv(string name, Func<string[], int, string[]> change)
    {
        var lines = File.ReadAllLines(DataFile("breast_cancer.csv"));
        var output = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            output.AppendJoin(',', change(lines[i].Split(','), i - 1)).Append('\n');
        }

        var path = Path.Combine(Root, "derived", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, output.ToString());
        return path;
    }

    private async Task<string> ExperimentAsync(string name)
    {
        try
        {
            return (await Services.Tracking.GetExperimentByNameAsync(name)).ExperimentId;
        }
        catch (Keel.Core.Errors.KeelException)
        {
            return await Services.Tracking.CreateExperimentAsync(name, null, null);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StepsCollection : ICollectionFixture<StepsFixture>
{
    public const string Name = "pipeline steps";
}
