using Keel.Application;
using Keel.Application.Promptlab;
using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Application.Tests;

public sealed class PromptlabServiceTests : IDisposable
{
    private readonly RecordingTrackingStore _store = new();
    private readonly string _root = Directory.CreateTempSubdirectory("keel-promptlab").FullName;
    private readonly PromptlabService _service;

    public PromptlabServiceTests()
    {
        var store = new LocalArtifactStore(_root);
        _service = new PromptlabService(new TrackingService(_store), uri => (store, ArtifactUri.Parse(uri).ProxyPath!));
    }

    private static PromptlabRunRequest Complete => new()
    {
        ExperimentId = "1",
        PromptTemplate = "Say {{ word }}",
        PromptParameters = [new Param("word", "hi")],
        ModelRoute = "chat",
        ModelParameters = [new Param("temperature", "0.1")],
        ModelInput = "Say hi",
        ModelOutput = "hi",
        ModelOutputParameters = [new Param("latency", "100")],
        MlflowVersion = "2.12.2",
    };

    public static TheoryData<string, Func<PromptlabRunRequest, PromptlabRunRequest>> MissingFields => new()
    {
        { "experiment_id", r => r with { ExperimentId = null, PromptTemplate = null } },
        { "prompt_template", r => r with { PromptTemplate = "", ModelRoute = null } },
        { "prompt_parameters", r => r with { PromptParameters = [] } },
        { "model_route", r => r with { ModelRoute = null } },
        { "model_input", r => r with { ModelInput = null } },
        { "mlflow_version", r => r with { MlflowVersion = null } },
    };

    [Theory]
    [MemberData(nameof(MissingFields))]
    public async Task Each_required_field_is_named_in_mlflows_order(string field, Func<PromptlabRunRequest, PromptlabRunRequest> edit)
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.CreateRunAsync(edit(Complete)));
        Assert.Equal($"CreatePromptlabRun request must specify {field}.", e.Message);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Records_params_tags_and_the_evaluation_table_then_finishes_the_run()
    {
        await _service.CreateRunAsync(Complete);

        Assert.Equal("unknown", _store.LastNewRun!.UserId);
        Assert.Contains(new Tag("mlflow.runSourceType", "PROMPT_ENGINEERING"), _store.LoggedTags);
        Assert.Contains(new Tag("mlflow.loggedArtifacts", """[{"path": "eval_results_table.json", "type": "table"}]"""), _store.LoggedTags);
        Assert.Equal(["CreateRun", "LogBatch", "UpdateRun", "GetRun"], _store.Calls);
        Assert.Equal(RunStatus.Finished, _store.LastUpdate!.Status);
        var table = await File.ReadAllTextAsync(Path.Combine(_root, "0", "r1", "artifacts", "eval_results_table.json"));
        Assert.Equal("""{"columns":["word","prompt","output","latency"],"data":[["hi","Say hi","hi","100"]]}""", table);
    }

    [Fact]
    public async Task A_parameter_over_its_limit_leaves_the_run_failed_not_running()
    {
        await _service.CreateRunAsync(Complete with { PromptTemplate = new string('x', 6001) });
        Assert.Equal(RunStatus.Failed, _store.LastUpdate!.Status);
        Assert.DoesNotContain("LogBatch", _store.Calls);
    }

    [Fact]
    public async Task An_artifact_location_the_server_cannot_reach_leaves_the_run_failed()
    {
        var service = new PromptlabService(
            new TrackingService(_store),
            uri => throw new KeelException(ErrorCode.NotImplemented, $"The server does not read artifacts at '{uri}'."));
        await service.CreateRunAsync(Complete);
        Assert.Equal(RunStatus.Failed, _store.LastUpdate!.Status);
        Assert.Contains("LogBatch", _store.Calls);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
