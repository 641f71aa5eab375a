using System.Security.Cryptography;
using System.Text;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>Definitions the parser and validator refuse (naming the field or step), and YAML and the builder agreeing.</summary>
public sealed class PipelineDefinitionTests : IAsyncLifetime
{
    private OpsFixture _ops = null!;
    private StepTypeCatalog _catalog = null!;

    public Task InitializeAsync()
    {
        _ops = new OpsFixture();
        _catalog = new StepTypeCatalog([.. BuiltInSteps.All(_ops.Services), new ProbeStep("model-maker")]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ops.DisposeAsync();

    private static string Refused(string yaml, StepTypeCatalog catalog)
    {
        var e = Assert.Throws<KeelException>(() => PipelineValidator.Validate(PipelineDefinitionParser.Parse(yaml), catalog));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        return e.Message;
    }

    private string Refused(string yaml) => Refused(yaml, _catalog);

    [Fact]
    public void Unknown_keys_are_refused_with_their_path()
    {
        Assert.Contains("'colour'", Refused("name: p\ncolour: red\nsteps:\n  - {name: a, type: noop}\n"));
        Assert.Contains("'steps[0] (a).retry'", Refused("name: p\nsteps:\n  - {name: a, type: noop, retry: 2}\n"));
        Assert.Contains("'triggers[0] (nightly).cron'", Refused("name: p\nsteps:\n  - {name: a, type: noop}\ntriggers:\n  - {name: nightly, schedule: '0 1 * * *', cron: x}\n"));
        Assert.Contains("'steps[0] (a).resources.disk'", Refused("name: p\nsteps:\n  - {name: a, type: noop, resources: {disk: 3}}\n"));
    }

    [Fact]
    public void A_cycle_is_refused_naming_its_steps()
    {
        var message = Refused("""
            name: p
            steps:
              - {name: start, type: noop}
              - {name: a, type: noop, inputs: {x: '${steps.b.value}'}, after: [start]}
              - {name: b, type: noop, inputs: {x: '${steps.a.value}'}}
            """);
        Assert.Matches("^Steps (a → b → a|b → a → b) form a cycle", message);
        Assert.DoesNotContain("start", message, StringComparison.Ordinal);

        Assert.Contains("cannot run after itself", Refused("name: p\nsteps:\n  - {name: a, type: noop, after: [a]}\n"));
    }

    [Fact]
    public void An_unknown_step_type_is_refused_naming_the_step()
    {
        var message = Refused("name: p\nsteps:\n  - {name: fit, type: trian}\n");
        Assert.Contains("Step 'fit' has unknown type 'trian'", message);
        Assert.Contains("train", message);
    }

    [Fact]
    public void A_type_mismatch_names_the_step_the_input_and_both_kinds()
    {
        var message = Refused("""
            name: p
            steps:
              - {name: maker, type: model-maker, outputs: {value: value}}
              - name: fit
                type: train
                params: {label: y, task: binary}
                inputs: {dataset: 'datasets:/d/1'}
              - {name: check, type: validate, inputs: {dataset: '${steps.fit.model}'}}
            """);
        Assert.Contains("Step 'check' input 'dataset' takes a dataset but step 'fit' output 'model' is a model (type mismatch)", message);
    }

    [Fact]
    public void A_missing_required_input_is_refused()
    {
        Assert.Contains("Step 'check' (validate) needs input 'dataset' (dataset)", Refused("name: p\nsteps:\n  - {name: check, type: validate}\n"));
    }

    [Fact]
    public void Unknown_parameters_and_upstreams_are_refused()
    {
        Assert.Contains("uses parameter 'x', which the pipeline does not declare",
            Refused("name: p\nsteps:\n  - {name: a, type: noop, params: {value: '${params.x}'}}\n"));
        Assert.Contains("Step 'b' input 'in' refers to step 'ghost', which does not exist",
            Refused("name: p\nsteps:\n  - {name: a, type: noop}\n  - {name: b, type: noop, inputs: {in: '${steps.ghost.value}'}}\n"));
        Assert.Contains("Step 'b' runs after step 'ghost', which does not exist",
            Refused("name: p\nsteps:\n  - {name: a, type: noop}\n  - {name: b, type: noop, after: ghost}\n"));
        Assert.Contains("refers to output 'nothing' of step 'a'",
            Refused("name: p\nsteps:\n  - {name: a, type: noop}\n  - {name: b, type: noop, inputs: {in: '${steps.a.nothing}'}}\n"));
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("events")]
    [InlineData("step-types")]
    [InlineData("store")]
    public void Reserved_pipeline_names_are_refused(string name)
    {
        Assert.Contains($"'{name}' is reserved", Refused($"name: {name}\nsteps:\n  - {{name: a, type: noop}}\n"));
    }

    [Fact]
    public void Duplicate_step_names_and_undeclared_trigger_parameters_are_refused()
    {
        Assert.Contains("Step 'a' is defined twice", Refused("name: p\nsteps:\n  - {name: a, type: noop}\n  - {name: a, type: noop}\n"));
        Assert.Contains("Trigger 'fresh' sets parameter 'data', which the pipeline does not declare",
            Refused("name: p\nsteps:\n  - {name: a, type: noop}\ntriggers:\n  - {name: fresh, dataset: d, params: {data: '${event.uri}'}}\n"));
    }

    [Fact]
    public void Yaml_and_the_builders_json_parse_to_the_same_definition_and_hash()
    {
        const string yaml = """
            name: retrain
            description: keeps the model fresh
            params:
              data: datasets:/d/1
              tag: null
            concurrency: 2
            dedupe_key: '${params.tag}'
            steps:
              - name: a
                type: noop
                params: {value: '${params.data}'}
                retries: 2
                timeout_seconds: 30
              - name: b
                type: noop
                inputs: {in: '${steps.a.value}'}
                resources: {cpu: 0.5, memory_mb: 256}
                cache: false
              - {name: c, type: noop, after: [a, b]}
            triggers:
              - {name: fresh, dataset: d, debounce_seconds: 10, params: {data: '${event.uri}'}}
              - {name: nightly, schedule: '0 2 * * *', timezone: Europe/Paris, catch_up: skip}
            """;
        var built = new PipelineBuilder("retrain")
            .Description("keeps the model fresh")
            .Param("data", "datasets:/d/1")
            .Param("tag")
            .Concurrency(2, PipelineBuilder.Parameter("tag"))
            .Step("a", "noop", s => s.Param("value", PipelineBuilder.Parameter("data")).Retries(2).Timeout(30))
            .Step("b", "noop", s => s.Input("in", PipelineBuilder.Output("a", "value")).Resources(new StepResources(0.5, 256)).NoCache())
            .Step("c", "noop", s => s.After("a", "b"))
            .Trigger(new TriggerDefinition("fresh", "dataset", new Dictionary<string, string> { ["data"] = "${event.uri}" }, DebounceSeconds: 10, Dataset: "d"))
            .Trigger(new TriggerDefinition("nightly", "schedule", new Dictionary<string, string>(), Cron: "0 2 * * *", TimeZone: "Europe/Paris", CatchUp: "skip"))
            .Build();

        var fromYaml = PipelineDefinitionParser.Parse(yaml);
        var fromJson = PipelineDefinitionParser.Parse(PipelineDocument.ToJson(built, indented: true));
        var yamlJson = PipelineDocument.ToJson(fromYaml, indented: false);
        Assert.Equal(yamlJson, PipelineDocument.ToJson(fromJson, indented: false));
        Assert.Equal(yamlJson, PipelineDocument.ToJson(built, indented: false));
        Assert.Equal(Hash(yamlJson), Hash(PipelineDocument.ToJson(fromJson, indented: false)));
        Assert.Equal(["a", "b", "c"], PipelineValidator.Validate(fromJson, _catalog).Select(s => s.Name));
        Assert.Equal((2, "${params.tag}", 2), (fromJson.Concurrency, fromJson.DedupeKey, fromJson.Steps[0].Retries));
    }

    [Fact]
    public async Task Applying_the_yaml_and_the_builders_json_stores_one_version()
    {
        await using var h = new PipelineHarness();
        const string yaml = "name: p\nparams: {x: '1'}\nsteps:\n  - {name: a, type: noop, params: {value: '${params.x}'}}\n  - {name: b, type: noop, after: a}\n";
        var json = PipelineDocument.ToJson(
            new PipelineBuilder("p").Param("x", "1").Step("a", "noop", s => s.Param("value", "${params.x}")).Step("b", "noop", s => s.After("a")).Build(), indented: true);
        var first = await h.Service.ApplyPipelineAsync(yaml);
        var second = await h.Service.ApplyPipelineAsync(json);
        Assert.True(first.Changed);
        Assert.False(second.Changed);
        Assert.Equal(1, (await h.Store.GetPipelineAsync("p"))!.Version);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
