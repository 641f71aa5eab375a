using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Runs;

/// <summary><c>keel runs show RUN_ID</c>: info, params, latest metrics with their curve, tags and inputs.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var runId = new Argument<string>("run-id") { Description = "Run id." };

        var command = new Command("show", "Show one run.") { runId };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var run = await session.Tracking.GetRunAsync(result.GetValue(runId)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new RunResponse { Run = run.ToDto() }, WireJson.Default.RunResponse);
                return 0;
            }

            InfoTable(run.Info).Write();
            if (run.Data.Params.Count > 0)
            {
                var table = new CliTable(CliColumn.Short("Key"), CliColumn.Text("Value")) { Title = "Params" };
                foreach (var p in run.Data.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    table.AddRow(Markup.Escape(p.Key), Markup.Escape(p.Value));
                }

                table.Write();
            }

            if (run.Data.Metrics.Count > 0)
            {
                var table = new CliTable(CliColumn.Short("Key", priority: 9), CliColumn.Number("Latest", priority: 8), CliColumn.Number("Step", priority: 5), CliColumn.Number("Min", priority: 6), CliColumn.Number("Max", priority: 6), CliColumn.Short("History", priority: 4)) { Title = "Metrics" };
                foreach (var m in run.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    var history = await session.Tracking.GetMetricHistoryAsync(run.Info.RunId, m.Key, cancellationToken).ConfigureAwait(false);
                    var values = history.Select(h => h.Value).ToList();
                    table.AddRow(
                        Markup.Escape(m.Key),
                        $"[bold]{Display.Number(m.Value)}[/]",
                        m.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        values.Count > 1 ? Display.Number(values.Min()) : "",
                        values.Count > 1 ? Display.Number(values.Max()) : "",
                        values.Count > 1 ? $"[blue]{Sparkline.Render(values)}[/]" : "");
                }

                table.Write();
            }

            if (run.Data.Tags.Count > 0)
            {
                var table = new CliTable(CliColumn.Short("Key"), CliColumn.Text("Value")) { Title = "Tags" };
                foreach (var t in run.Data.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    table.AddRow(Markup.Escape(t.Key), Markup.Escape(t.Value));
                }

                table.Write();
            }

            foreach (var input in run.Inputs)
            {
                AnsiConsole.MarkupLineInterpolated($"Input dataset [bold]{input.Dataset.Name}[/] (digest {input.Dataset.Digest}, {input.Dataset.SourceType}: {input.Dataset.Source})");
            }

            return 0;
        });
        return command;
    }

    private static CliTable InfoTable(RunInfo info)
    {
        var table = new CliTable(CliColumn.Short("Field"), CliColumn.Uri("Value")) { Title = $"Run {Markup.Escape(info.RunName)}", ShowHeaders = false };
        table.AddRow("Run ID", Markup.Escape(info.RunId));
        table.AddRow("Experiment ID", Markup.Escape(info.ExperimentId));
        table.AddRow("Status", ListCommand.StatusMarkup(info.Status));
        table.AddRow("User", Markup.Escape(info.UserId));
        table.AddRow("Started", Display.Time(info.StartTime));
        table.AddRow("Ended", Display.Time(info.EndTime));
        table.AddRow("Duration", Display.Duration(info.StartTime, info.EndTime));
        table.AddRow("Lifecycle", info.LifecycleStage.ToWire());
        table.AddRow("Artifact URI", Markup.Escape(info.ArtifactUri));
        return table;
    }
}
