using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Pipelines;

/// <summary><c>keel pipelines apply|list|show|run|plan|runs|logs|cancel|init|step-types</c></summary>
internal static class PipelinesCommand
{
    public static Command Create() => new("pipelines", "Pipelines as code: DAGs of steps run on triggers and cached by content.")
    {
        Apply(),
        List(),
        Show(),
        PipelineRunCommand.Create(),
        Plan(),
        Runs(),
        Logs(),
        Cancel(),
        PipelineInitCommand.Create(),
        StepTypes(),
    };

    internal static Dictionary<string, string> Params(IEnumerable<string>? pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw KeelException.InvalidParameter($"Option '--param' takes NAME=VALUE (got '{pair}').");
            }

            values[pair[..at]] = pair[(at + 1)..];
        }

        return values;
    }

    private static Command Apply()
    {
        var store = new StoreOptions();
        var file = new Argument<string>("file") { Description = "The pipeline definition: YAML or JSON (see docs/pipelines.md)." };
        var expected = new Option<int?>("--expected-version") { Description = "Apply only over this version (0: the pipeline must be new)." };
        var command = new Command("apply", "Check a pipeline definition and store it as a new version if it changed.") { file, expected };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw KeelException.InvalidParameter($"Pipeline file '{path}' does not exist.");
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var applied = await PipelineSession.Open(session).Api.ApplyPipelineAsync(text, result.GetValue(expected), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(applied, PipelineApiJson.Default.ApplyPipelineResponse);
                return 0;
            }

            var p = applied.Pipeline!;
            AnsiConsole.MarkupLineInterpolated($"Pipeline [bold]{p.Name}[/] {(applied.Changed ? $"applied as version {p.Version}" : $"unchanged (version {p.Version})")}: {p.Steps.Count} steps, {p.Triggers.Count} trigger(s).");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List pipelines with their steps and triggers.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var list = await PipelineSession.Open(session).Api.ListPipelinesAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PipelinesResponse { Pipelines = [.. list] }, PipelineApiJson.Default.PipelinesResponse);
                return 0;
            }

            if (list.Count == 0)
            {
                AnsiConsole.MarkupLine("No pipelines yet. Write one with [bold]keel pipelines init[/], then [bold]keel pipelines apply FILE[/].");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Name", priority: 9), CliColumn.Number("Version", priority: 8), CliColumn.Number("Steps", priority: 6), CliColumn.Text("Triggers", priority: 5), CliColumn.Short("Updated", priority: 7));
            foreach (var p in list)
            {
                table.AddRow(
                    Markup.Escape(p.Name), p.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(" → ", p.Steps.Select(s => s.Name))),
                    Markup.Escape(p.Triggers.Count == 0 ? "manual" : string.Join(", ", p.Triggers.Select(t => $"{t.Name} ({t.Kind})"))), Display.Time(p.UpdatedAt));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The pipeline." };
        var version = new Option<int?>("--version") { Description = "A version (default the latest)." };
        var command = new Command("show", "Show a pipeline: parameters, triggers and its steps drawn as a DAG.") { name, version };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var p = await PipelineSession.Open(session).Api.GetPipelineAsync(result.GetValue(name)!, result.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PipelineResponse { Pipeline = p }, PipelineApiJson.Default.PipelineResponse);
                return 0;
            }

            PipelineDisplay.Pipeline(p);
            return 0;
        });
        return command;
    }

    private static Command Plan()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The pipeline." };
        var param = new Option<string[]>("--param", "-p") { Description = "A parameter value, NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("plan", "Show which steps a run would run and which it would take from the cache, and why, without running anything.") { name, param };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var plan = await PipelineSession.Open(session).Api.PlanPipelineAsync(result.GetValue(name)!, Params(result.GetValue(param)), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PlanPipelineResponse { Steps = [.. plan] }, PipelineApiJson.Default.PlanPipelineResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Step"), CliColumn.Short("Type"), CliColumn.Short("Would"), CliColumn.Text("Why"));
            foreach (var s in plan)
            {
                table.AddRow(Markup.Escape(s.Step), Markup.Escape(s.Type), s.Action == "cached" ? "[blue]reuse cache[/]" : "[yellow]run[/]", Markup.Escape(s.Reason));
            }

            table.Write();
            var running = plan.Count(s => s.Action == "run");
            AnsiConsole.MarkupLineInterpolated($"Plan: {running} step(s) to run, {plan.Count - running} from the cache.");
            return 0;
        });
        return command;
    }

    private static Command Runs()
    {
        var store = new StoreOptions();
        var id = new Argument<long?>("run-id") { Description = "A run to show in full (its steps as a DAG, outputs); omit to list runs.", Arity = ArgumentArity.ZeroOrOne };
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline's runs." };
        var state = new Option<string?>("--state") { Description = "queued, running, succeeded, failed or cancelled." };
        var max = new Option<int?>("--max-results") { Description = "The most runs (1-1000, default 20)." };
        var command = new Command("runs", "List pipeline runs newest first, or show one run's steps.") { id, pipeline, state, max };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var api = PipelineSession.Open(session).Api;
            if (result.GetValue(id) is { } runId)
            {
                var run = await api.GetPipelineRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (result.GetValue(store.Output) == OutputFormat.Json)
                {
                    WireOutput.Write(run, PipelineApiJson.Default.PipelineRunResponse);
                    return 0;
                }

                PipelineDisplay.Run(run);
                return 0;
            }

            var runs = await api.ListPipelineRunsAsync(result.GetValue(pipeline), result.GetValue(state), null, result.GetValue(max) ?? 20, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PipelineRunsResponse { Runs = [.. runs] }, PipelineApiJson.Default.PipelineRunsResponse);
                return 0;
            }

            if (runs.Count == 0)
            {
                AnsiConsole.MarkupLine("No pipeline runs. Start one with [bold]keel pipelines run NAME[/].");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Run", priority: 9), CliColumn.Short("Pipeline", priority: 8), CliColumn.Short("State", priority: 9), CliColumn.Short("Trigger", priority: 4), CliColumn.Short("Started", priority: 6), CliColumn.Short("Took", priority: 5), CliColumn.Text("Error", priority: 7));
            foreach (var r in runs)
            {
                table.AddRow(
                    r.RunId.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{r.Pipeline} v{r.PipelineVersion}"), PipelineDisplay.State(r.State),
                    Markup.Escape(r.TriggerKind + (r.TriggerName is null ? string.Empty : $" ({r.TriggerName})")),
                    r.StartedAt is { } s ? Display.Time(s) : "-", r.StartedAt is { } st ? Display.Duration(st, r.FinishedAt) : "-", Markup.Escape(r.Error ?? string.Empty));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static Command Logs()
    {
        var store = new StoreOptions();
        var id = new Argument<long>("run-id") { Description = "The run." };
        var step = new Option<string?>("--step") { Description = "Only this step's lines." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends." };
        var command = new Command("logs", "Print a run's step logs (each line with its step and try).") { id, step, follow };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var api = PipelineSession.Open(session).Api;
            var runId = result.GetValue(id);
            long after = 0;
            var all = new List<StepLogLineInfo>();
            while (true)
            {
                var page = await api.GetPipelineLogAsync(runId, result.GetValue(step), after, 1000, cancellationToken).ConfigureAwait(false);
                foreach (var line in page.Lines)
                {
                    if (result.GetValue(store.Output) == OutputFormat.Json)
                    {
                        all.Add(line);
                    }
                    else
                    {
                        AnsiConsole.MarkupLineInterpolated($"[grey]{Display.Time(line.Time)}[/] [bold]{line.Step}[/][grey]#{line.Attempt}[/] {line.Line}");
                    }
                }

                after = page.NextAfter;
                if (page.Lines.Count == 1000)
                {
                    continue;
                }

                if (!result.GetValue(follow))
                {
                    break;
                }

                var run = await api.GetPipelineRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (run.Run!.State is "succeeded" or "failed" or "cancelled")
                {
                    var rest = await api.GetPipelineLogAsync(runId, result.GetValue(step), after, 1000, cancellationToken).ConfigureAwait(false);
                    if (rest.Lines.Count == 0)
                    {
                        break;
                    }

                    continue;
                }

                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PipelineLogResponse { Lines = all, NextAfter = after }, PipelineApiJson.Default.PipelineLogResponse);
            }

            return 0;
        });
        return command;
    }

    private static Command Cancel()
    {
        var store = new StoreOptions();
        var id = new Argument<long>("run-id") { Description = "The run." };
        var reason = new Option<string?>("--reason") { Description = "Why (kept on the run)." };
        var command = new Command("cancel", "Cancel a queued or running run: its unfinished steps are cancelled and their workers stopped.") { id, reason };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var run = await PipelineSession.Open(session).Api.CancelPipelineRunAsync(result.GetValue(id), result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new PipelineRunResponse { Run = run }, PipelineApiJson.Default.PipelineRunResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Run {run.RunId} of {run.Pipeline}: {run.State}.");
            return 0;
        });
        return command;
    }

    private static Command StepTypes()
    {
        var store = new StoreOptions();
        var command = new Command("step-types", "List the step types a pipeline can use.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var types = await PipelineSession.Open(session).Api.ListStepTypesAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new StepTypesResponse { StepTypes = [.. types] }, PipelineApiJson.Default.StepTypesResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Type"), CliColumn.Number("Version"), CliColumn.Short("Cached"), CliColumn.Text("What it does"));
            foreach (var t in types)
            {
                table.AddRow(Markup.Escape(t.Name), t.Version.ToString(CultureInfo.InvariantCulture), t.Cacheable ? "yes" : "never", Markup.Escape(t.Summary));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
