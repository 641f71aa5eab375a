using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Spectre.Console;

namespace Keel.Cli.Commands.Pipelines;

/// <summary>
/// <c>keel pipelines init --template classification|regression</c>: writes a working retraining
/// pipeline (validate → train → gate → register → canary → alias) for a dataset and an endpoint,
/// triggered by a new dataset version or an alert on the endpoint.
/// </summary>
internal static class PipelineInitCommand
{
    public static Command Create()
    {
        var template = new Option<string>("--template") { Description = "classification or regression.", DefaultValueFactory = _ => "classification" };
        var dataset = new Option<string>("--dataset") { Description = "The training dataset's name (datasets:/NAME@latest is trained on).", Required = true };
        var label = new Option<string>("--label") { Description = "The label column.", Required = true };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint the model serves on (canaried into, and watched by the alert trigger).", Required = true };
        var model = new Option<string?>("--model") { Description = "The registered model name (default: the endpoint's name)." };
        var name = new Option<string?>("--name") { Description = "The pipeline's name (default: retrain-ENDPOINT)." };
        var output = new Option<string?>("--file", "-f") { Description = "Where to write it (default: NAME.yaml in the current directory)." };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var command = new Command("init", "Write a working retraining pipeline from a template.")
        {
            template, dataset, label, endpoint, model, name, output, force,
        };
        // Through the command runner, so a refusal (bad --template, file exists) is a message and exit 2, not a stack trace.
        command.SetAsyncAction((result, _) =>
        {
            var kind = result.GetValue(template)!;
            if (kind is not ("classification" or "regression"))
            {
                throw KeelException.InvalidParameter($"Option '--template' must be classification or regression (got '{kind}').");
            }

            var e = result.GetValue(endpoint)!;
            var pipeline = result.GetValue(name) ?? $"retrain-{e}";
            var path = result.GetValue(output) ?? $"{pipeline}.yaml";
            if (File.Exists(path) && !result.GetValue(force))
            {
                throw KeelException.InvalidParameter($"File '{path}' exists; pass --force to overwrite it or --file to choose another.");
            }

            File.WriteAllText(path, Render(kind, pipeline, result.GetValue(dataset)!, result.GetValue(label)!, e, result.GetValue(model) ?? e));
            AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{path}[/] ({kind}). Next: [bold]keel pipelines apply {path}[/], then [bold]keel pipelines plan {pipeline}[/].");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The template's YAML.</summary>
    public static string Render(string kind, string pipeline, string dataset, string label, string endpoint, string model)
    {
        var regression = kind == "regression";
        var task = regression ? "regression" : "binary";
        var metrics = regression
            ? "        - {name: rmse, direction: lower_is_better, max_relative_regression: 0.05}\n        - {name: mae, direction: lower_is_better, max_relative_regression: 0.05}"
            : "        - {name: auc, direction: higher_is_better, bound: 0.8, max_regression: 0.01}\n        - {name: accuracy, direction: higher_is_better, max_regression: 0.02}";
        return $$"""
            # A retraining pipeline written by `keel pipelines init --template {{kind}}`.
            # Apply: keel pipelines apply {{pipeline}}.yaml   Plan: keel pipelines plan {{pipeline}}   Run: keel pipelines run {{pipeline}} --wait
            name: {{pipeline}}
            description: Retrain the {{model}} model on new {{dataset}} data, gate it against the champion, canary it on {{endpoint}} and move the alias.
            params:
              dataset: datasets:/{{dataset}}@latest    # what to train on (a trigger may pass the exact version)
              eval_dataset: datasets:/{{dataset}}@latest  # the frozen evaluation set both models are judged on
              model: {{model}}
              endpoint: {{endpoint}}
            concurrency: 1
            dedupe_key: retrain-${params.model}      # one retrain per model at a time
            steps:
              - name: validate
                type: validate
                inputs: {dataset: "${params.dataset}"}
              - name: train
                type: train
                inputs: {dataset: "${steps.validate.dataset}"}
                params: {label: {{label}}, task: {{task}}, trials: 9, seed: 42}
                retries: 1
                timeout_seconds: 3600
              - name: gate
                type: gate
                inputs: {challenger: "${steps.train.model}", dataset: "${params.eval_dataset}"}
                params:
                  champion: models:/${params.model}@champion
                  label: {{label}}
                  task: {{task}}
                  first_model: pass
                  metrics:
            {{metrics}}
              - name: register
                type: register
                inputs: {model: "${steps.train.model}", decision: "${steps.gate.decision}"}
                params: {name: "${params.model}", alias: challenger}
              - name: canary
                type: deploy
                inputs: {model: "${steps.register.model}"}
                params: {endpoint: "${params.endpoint}", strategy: canary, steps: [10, 50, 100], hold_seconds: 30}
                timeout_seconds: 1800
              - name: alias
                type: register
                inputs: {model: "${steps.canary.model}"}
                params: {name: "${params.model}", alias: champion}
            triggers:
              - name: new-data
                dataset: {{dataset}}
                params: {dataset: "${event.uri}"}
                debounce_seconds: 60
              - name: drift
                alert: "*"
                endpoint: {{endpoint}}
                debounce_seconds: 60

            """;
    }
}
