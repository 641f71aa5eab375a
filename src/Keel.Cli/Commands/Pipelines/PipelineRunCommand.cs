using System.CommandLine;
using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Pipelines;

/// <summary><c>keel pipelines run NAME [--param K=V] [--wait]</c>: starts a run; with --wait, follows it to the end.</summary>
internal static class PipelineRunCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The pipeline." };
        var param = new Option<string[]>("--param", "-p") { Description = "A parameter value, NAME=VALUE (repeatable)." };
        var wait = new Option<bool>("--wait") { Description = "Block until the run ends, printing each step as it changes; exit 1 if the run fails." };
        var key = new Option<string?>("--idempotency-key") { Description = "Run once per key: repeating the command with the same key returns the first run." };
        var command = new Command(
            "run",
            "Start a pipeline run and return at once, or follow it to the end with --wait.")
        {
            name, param, wait, key,
        };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var signal = new JobSignal();
            var pipelines = PipelineSession.Open(session, signal);
            var started = await pipelines.Api.StartPipelineRunAsync(result.GetValue(name)!, PipelinesCommand.Params(result.GetValue(param)), result.GetValue(key), cancellationToken).ConfigureAwait(false);
            var run = started.Run!;
            var json = result.GetValue(store.Output) == OutputFormat.Json;
            if (!result.GetValue(wait))
            {
                if (json)
                {
                    WireOutput.Write(started, PipelineApiJson.Default.StartPipelineRunResponse);
                    return 0;
                }

                AnsiConsole.MarkupLineInterpolated($"Run {run.RunId} of {run.Pipeline} {(started.Created ? "started" : "already exists (same dedupe or idempotency key)")}: {run.State}.");
                if (!pipelines.Remote)
                {
                    AnsiConsole.MarkupLine("[grey]On the embedded store its steps run when a keel server or keel worker uses this data directory; or run with --wait.[/]");
                }

                return 0;
            }

            var details = await FollowAsync(pipelines, run.RunId, signal, json, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                WireOutput.Write(details, PipelineApiJson.Default.PipelineRunResponse);
            }
            else
            {
                PipelineDisplay.Run(details);
            }

            return details.Run!.State == "succeeded" ? ExitCodes.Success : ExitCodes.ChecksFailed;
        });
        return command;
    }

    /// <summary>Follows a run to its end, printing step changes; on the embedded store, runs its steps in this process meanwhile.</summary>
    public static async Task<PipelineRunResponse> FollowAsync(PipelineSession pipelines, long runId, JobSignal signal, bool quiet, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task worker = Task.CompletedTask;
        JobWorker? jobs = null;
        if (pipelines.Runner is { } runner)
        {
            jobs = new JobWorker(
                pipelines.Session.Jobs, [new PipelineStepHandler(runner)],
                new JobWorkerOptions($"cli-{Environment.ProcessId}", Concurrency: 2, LeaseDuration: TimeSpan.FromMinutes(1), PollInterval: TimeSpan.FromMilliseconds(250), DrainTimeout: TimeSpan.FromSeconds(5)),
                null, signal);
            worker = jobs.RunAsync(stop.Token);
        }

        try
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                var details = await pipelines.Api.GetPipelineRunAsync(runId, cancellationToken).ConfigureAwait(false);
                foreach (var s in details.Steps)
                {
                    var now = $"{s.State}:{s.Attempt}";
                    if (!quiet && seen.GetValueOrDefault(s.Step) != now && s.State != "queued")
                    {
                        AnsiConsole.MarkupLine($"  {Markup.Escape(s.Step)}: {PipelineDisplay.State(s.State)}{(s.Attempt > 1 ? $" (try {s.Attempt})" : string.Empty)}{(s.Error is null ? string.Empty : $" [grey]{Markup.Escape(s.Error)}[/]")}");
                    }

                    seen[s.Step] = now;
                }

                if (details.Run!.State is "succeeded" or "failed" or "cancelled")
                {
                    return details;
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await worker.ConfigureAwait(false);
            jobs?.Dispose();
        }
    }
}
