using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands.Data;
using Keel.Cli.Commands.Pipelines;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.ML.Batch;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// The quickstart's closed loop: drifted data arrives as new dataset versions (a training version
/// and a frozen evaluation holdout), a retraining pipeline waits on the endpoint's drift alert; when
/// the monitor raises it, the pipeline validates the new data, trains a challenger, gates it against
/// the champion on the holdout, registers it, canaries it onto the endpoint under live traffic and
/// moves the champion alias — with no command typed. The chain of events is printed with its links.
/// </summary>
internal static class QuickstartLoop
{
    public const string Pipeline = "quickstart-retrain";
    public const string Holdout = "breast-cancer-holdout";

    /// <summary>Adds the drifted data and applies the pipeline; returns the drifted holdout file (for live traffic) once the scheduler watches the alert feed.</summary>
    public static async Task<string> PrepareAsync(StoreSession session, KeelClient client, string dataCsv, string suitePath, string label, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(session.DataDir, "quickstart");
        Directory.CreateDirectory(folder);
        var (train, holdout) = await WriteDriftedAsync(dataCsv, label, folder, cancellationToken).ConfigureAwait(false);
        await using (var workflow = session.DataWorkflow())
        {
            var suite = await DataInputs.ReadSuiteTextAsync(suitePath, cancellationToken).ConfigureAwait(false);
            var trainVersion = await workflow.AddAsync(train, QuickstartCommand.DatasetName, "New cases: tumour sizes measured half as large again (the drift)", Environment.UserName, null, cancellationToken, suite).ConfigureAwait(false);
            var holdoutVersion = await workflow.AddAsync(holdout, Holdout, "Frozen evaluation set of the new cases (never trained on)", Environment.UserName, null, cancellationToken, suite).ConfigureAwait(false);
            if (trainVersion.Version is null || holdoutVersion.Version is null)
            {
                throw KeelException.InvalidParameter("The drifted sample data failed a critical expectation of its suite; nothing was stored.");
            }

            AnsiConsole.MarkupLineInterpolated($"New data arrived: [bold]{trainVersion.Version.Uri}[/] ({trainVersion.Version.RowCount:N0} rows to train on) and the frozen holdout [bold]{holdoutVersion.Version.Uri}[/] ({holdoutVersion.Version.RowCount:N0} rows).");
        }

        var applied = await client.ApplyPipelineAsync(Definition(label), cancellationToken: cancellationToken).ConfigureAwait(false);
        var p = applied.Pipeline!;
        AnsiConsole.MarkupLineInterpolated($"Pipeline [bold]{p.Name}[/] v{p.Version}: {string.Join(" → ", p.Steps.Select(s => s.Name))}; trigger: {p.Triggers[0].Summary}.");

        // The scheduler starts each trigger's cursor at "now": wait until it has, so the coming alert counts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await client.PipelineStore.GetTriggerStatesAsync(Pipeline, cancellationToken).ConfigureAwait(false)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return holdout;
    }

    /// <summary>Waits for the alert-triggered run, feeding the endpoint live traffic for its canary, then prints the chain.</summary>
    public static async Task<PipelineRunResponse?> FollowAsync(KeelClient client, HttpClient http, string endpoint, string trafficCsv, string label, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var requests = QuickstartServe.Requests(trafficCsv, label);
        PipelineRunInfo? run = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (run is null && DateTime.UtcNow < deadline)
        {
            run = (await client.ListPipelineRunsAsync(Pipeline, maxResults: 10, cancellationToken: cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(r => r.TriggerKind == "alert" && r.CreatedAt >= since.ToUnixTimeMilliseconds());
            if (run is null)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }

        if (run is null)
        {
            AnsiConsole.MarkupLine("[yellow]No alert started the pipeline within 30 s (is the drift alert firing? keel alerts list).[/]");
            return null;
        }

        AnsiConsole.MarkupLineInterpolated($"The alert started pipeline run [bold]{run.RunId}[/]; following it (live traffic keeps flowing for the canary):");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var sent = 0;
        var finish = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        PipelineRunResponse details;
        while (true)
        {
            details = await client.GetPipelineRunAsync(run.RunId, cancellationToken).ConfigureAwait(false);
            foreach (var s in details.Steps)
            {
                var state = $"{s.State}:{s.Attempt}";
                if (seen.GetValueOrDefault(s.Step) != state && s.State != "queued")
                {
                    AnsiConsole.MarkupLine($"  {Markup.Escape(s.Step)}: {PipelineDisplay.State(s.State)}{(s.Error is null ? string.Empty : $" [grey]{Markup.Escape(s.Error)}[/]")}");
                }

                seen[s.Step] = state;
            }

            if (details.Run!.State is "succeeded" or "failed" or "cancelled" || DateTime.UtcNow > finish)
            {
                break;
            }

            if (details.Steps.Any(s => s.Type == "deploy" && s.State == "running"))
            {
                await QuickstartServe.SendAsync(http, requests, sent, 40, cancellationToken).ConfigureAwait(false);
                sent += 40;
            }
            else
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }

        await ChainAsync(client, details, cancellationToken).ConfigureAwait(false);
        return details;
    }

    private static async Task ChainAsync(KeelClient client, PipelineRunResponse details, CancellationToken cancellationToken)
    {
        var run = details.Run!;
        var step = details.Steps.ToDictionary(s => s.Step, StringComparer.Ordinal);
        var tree = new Tree("[bold]What happened, with links[/]");
        var alert = run.TriggerDetail is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(run.TriggerDetail);
        var node = tree.AddNode(alert is null
            ? Markup.Escape($"trigger {run.TriggerKind}")
            : Markup.Escape($"Alert {alert.GetValueOrDefault("rule")} on {alert.GetValueOrDefault("endpoint")}: {alert.GetValueOrDefault("metric")} = {Short(alert.GetValueOrDefault("value"))} ≥ {Short(alert.GetValueOrDefault("threshold"))} ({alert.GetValueOrDefault("severity")}), alert #{alert.GetValueOrDefault("alert_id")}  [keel alerts show {alert.GetValueOrDefault("alert_id")}]"));
        node = node.AddNode(Markup.Escape($"Pipeline run {run.RunId} of {run.Pipeline} ({run.State}), MLflow run {run.MlflowRunId}  [keel pipelines runs {run.RunId}]"));
        if (step.TryGetValue("train", out var train) && train.Outputs.TryGetValue("model", out var model))
        {
            var trainedOn = step.TryGetValue("validate", out var validated) ? validated.Outputs.GetValueOrDefault("dataset") : null;
            node = node.AddNode(Markup.Escape($"Challenger trained on {trainedOn ?? details.Run!.Params.GetValueOrDefault("dataset")}: {model}"));
        }

        if (step.TryGetValue("gate", out var gate))
        {
            var figures = string.Empty;
            if (gate.MlflowRunId is not null)
            {
                var metrics = (await client.GetRunAsync(gate.MlflowRunId, cancellationToken).ConfigureAwait(false)).Data.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
                figures = string.Join(", ", new[] { "accuracy", "auc" }
                    .Where(m => metrics.ContainsKey($"challenger_{m}"))
                    .Select(m => $"{m} {Short(metrics.GetValueOrDefault($"champion_{m}"))} → {Short(metrics[$"challenger_{m}"])}"));
            }

            node = node.AddNode(Markup.Escape($"Gate {gate.Outputs.GetValueOrDefault("decision") ?? gate.State} against {gate.Outputs.GetValueOrDefault("champion") ?? "the champion"} on {Holdout}: {figures}; report {gate.Outputs.GetValueOrDefault("report") ?? gate.Error}"));
        }

        if (step.TryGetValue("register", out var register) && register.Outputs.TryGetValue("model", out var registered))
        {
            node = node.AddNode(Markup.Escape($"Registered {registered} (alias @challenger)"));
        }

        if (step.TryGetValue("canary", out var canary))
        {
            node = node.AddNode(Markup.Escape(canary.Outputs.Count > 0
                ? $"Canary rollout {canary.Outputs.GetValueOrDefault("rollout_id")} on {canary.Outputs.GetValueOrDefault("endpoint")}: {canary.Outputs.GetValueOrDefault("state")}  [keel endpoints show {canary.Outputs.GetValueOrDefault("endpoint")}]"
                : $"Canary: {canary.State}{(canary.Error is null ? string.Empty : $" ({canary.Error})")}"));
        }

        if (step.TryGetValue("alias", out var alias) && alias.Outputs.TryGetValue("model", out var champion))
        {
            node.AddNode(Markup.Escape($"@{QuickstartCommand.Alias} → {champion}  [keel models show {QuickstartCommand.ModelName}]"));
        }

        AnsiConsole.Write(tree);
    }

    private static string Short(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Short(v) : value ?? "-";

    private static string Short(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The drifted cases: sizes half as large again, split into a training file and a frozen holdout.</summary>
    private static async Task<(string Train, string Holdout)> WriteDriftedAsync(string dataCsv, string label, string folder, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(dataCsv, cancellationToken).ConfigureAwait(false);
        var header = CsvFields.Split(lines[0]);
        var rows = lines.Skip(1).Select((l, i) => (Fields: CsvFields.Split(l), Key: (i * 7919) % (lines.Length - 1))).OrderBy(r => r.Key).Select(r => r.Fields).ToList();
        string Line(List<string> fields) => string.Join(',', fields.Select((v, c) =>
            header[c] != label && QuickstartMonitor.Inflated.Contains(header[c])
                ? (double.Parse(v, CultureInfo.InvariantCulture) * 1.5).ToString("R", CultureInfo.InvariantCulture)
                : v));
        var cut = rows.Count * 6 / 10;
        var train = Path.Combine(folder, "drifted-train.csv");
        var holdout = Path.Combine(folder, "drifted-holdout.csv");
        await File.WriteAllTextAsync(train, lines[0] + "\n" + string.Join("\n", rows.Take(cut).Select(Line)) + "\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(holdout, lines[0] + "\n" + string.Join("\n", rows.Skip(cut).Select(Line)) + "\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return (train, holdout);
    }

    /// <summary>The retraining pipeline (as `keel pipelines init` writes, tuned to finish in seconds).</summary>
    private static string Definition(string label) => $$"""
        name: {{Pipeline}}
        description: Retrain the breast-cancer model when its endpoint's inputs drift; gate, canary and promote it.
        params:
          dataset: datasets:/{{QuickstartCommand.DatasetName}}@latest
          eval_dataset: datasets:/{{Holdout}}@latest
          model: {{QuickstartCommand.ModelName}}
          endpoint: {{QuickstartServe.EndpointName}}
        concurrency: 1
        dedupe_key: retrain-${params.model}
        steps:
          - name: validate
            type: validate
            inputs: {dataset: "${params.dataset}"}
          - name: train
            type: train
            inputs: {dataset: "${steps.validate.dataset}"}
            params: {label: {{label}}, task: binary, trials: 6, seed: 7, experiment: quickstart-retrain}
            retries: 1
          - name: gate
            type: gate
            inputs: {challenger: "${steps.train.model}", dataset: "${params.eval_dataset}"}
            params:
              champion: models:/${params.model}@champion
              label: {{label}}
              task: binary
              metrics:
                - {name: accuracy, direction: higher_is_better, bound: 0.85, max_regression: 0.02, significance: superiority}
                - {name: auc, direction: higher_is_better, bound: 0.9, max_regression: 0.02}
          - name: register
            type: register
            inputs: {model: "${steps.train.model}", decision: "${steps.gate.decision}"}
            params: {name: "${params.model}", alias: challenger}
          - name: canary
            type: deploy
            inputs: {model: "${steps.register.model}"}
            params:
              endpoint: "${params.endpoint}"
              strategy: canary
              steps: [10, 50, 100]
              hold_requests: 40
              policy: {max_divergence: 0.6, min_requests: 20, p99_latency_slack_ms: {{QuickstartServe.DemoLatencySlackMs}}}
            timeout_seconds: 300
          - name: alias
            type: register
            inputs: {model: "${steps.canary.model}"}
            params: {name: "${params.model}", alias: champion}
        triggers:
          - name: drift
            alert: quickstart-drift
            endpoint: {{QuickstartServe.EndpointName}}
        """;
}
