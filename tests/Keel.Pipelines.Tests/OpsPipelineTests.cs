using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Xunit;

namespace Keel.Pipelines.Tests;

/// <summary>The command, register and deploy types inside a whole definition, as a pipeline is applied.</summary>
public sealed class OpsPipelineTests : IAsyncLifetime
{
    private const string Pipeline = """
        name: retrain
        params:
          endpoint: churn
        steps:
          - name: train
            type: command
            params:
              command: ["/bin/sh", "train.sh", "${inputs.data}", "${outputs.model}"]
              env: {SEED: "42"}
            inputs: {data: "datasets:/churn@latest"}
            outputs: {model: model, decision: value}
          - name: register
            type: register
            params: {name: churn, alias: champion}
            inputs: {model: "${steps.train.model}", decision: "${steps.train.decision}"}
          - name: deploy
            type: deploy
            params:
              endpoint: ${params.endpoint}
              steps: [10, 50, 100]
              hold_seconds: 30
              wait: false
              policy: {max_divergence: 0.3, min_requests: 100}
            inputs: {model: "${steps.register.model}"}
        """;

    private readonly OpsFixture _f = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void A_train_register_deploy_chain_is_accepted()
    {
        var order = PipelineValidator.Validate(PipelineDefinitionParser.Parse(Pipeline), Catalog());

        Assert.Equal(["train", "register", "deploy"], order.Select(s => s.Name));
    }

    [Theory]
    [InlineData("${outputs.model}\"]", "${outputs.weights}\"]", "Step 'train' (command): parameter 'command[3]' uses ${outputs.weights}")]
    [InlineData("decision: value}", "decision: report}", "Step 'register' input 'decision' takes a value but step 'train' output 'decision' is a report")]
    [InlineData("steps: [10, 50, 100]", "steps: [10, 50]", "Step 'deploy' (deploy): parameter 'steps'")]
    public void Mistakes_are_refused_naming_the_step(string from, string to, string expected)
    {
        var e = Assert.Throws<KeelException>(() => PipelineValidator.Validate(PipelineDefinitionParser.Parse(Pipeline.Replace(from, to, StringComparison.Ordinal)), Catalog()));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private StepTypeCatalog Catalog() => new(BuiltInSteps.All(_f.Services));
}
