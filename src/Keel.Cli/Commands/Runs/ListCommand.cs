using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Runs;

/// <summary><c>keel runs list --experiment-id ID</c></summary>
internal static class ListCommand
{
    // Enough metric columns to compare runs at a glance without wrapping a normal terminal.
    private const int MetricColumns = 4;

    public static Command Create()
    {
        var store = new StoreOptions();
        var experimentIds = new Option<string[]>("--experiment-id", "-e") { Description = "Experiment id (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"metrics.accuracy > 0.9 and params.depth = '6'\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "Order-by clause, e.g. \"metrics.val_loss ASC\" (repeatable)." };
        var maxResults = new Option<long?>("--max-results") { Description = $"Page size (default {RequestLimits.DefaultSearchResults}, at most {RequestLimits.MaxSearchResults})." };
        var view = new Option<ViewType>("--view") { Description = "ActiveOnly, DeletedOnly or All.", DefaultValueFactory = _ => ViewType.ActiveOnly };
        var pageToken = new Option<string?>("--page-token") { Description = "Token of the page to show." };

        var command = new Command("list", "Search the runs of experiments.") { experimentIds, filter, orderBy, maxResults, view, pageToken };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var page = await session.Tracking.SearchRunsAsync(
                result.GetValue(experimentIds) ?? [], result.GetValue(filter), result.GetValue(view), result.GetValue(maxResults), result.GetValue(orderBy), result.GetValue(pageToken), cancellationToken).ConfigureAwait(false);

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new SearchRunsResponse { Runs = page.Items.Count == 0 ? null : page.Items.Select(r => r.ToDto()).ToList(), NextPageToken = page.NextPageToken }, WireJson.Default.SearchRunsResponse);
                return 0;
            }

            var metricKeys = page.Items.SelectMany(r => r.Data.Metrics.Select(m => m.Key)).Distinct().Order(StringComparer.Ordinal).Take(MetricColumns).ToList();
            var table = new CliTable(
                CliColumn.Short("Run ID", priority: 9), CliColumn.Short("Name", priority: 8), CliColumn.Short("Status", priority: 8),
                CliColumn.Short("Started", priority: 6), CliColumn.Short("Duration", priority: 5));
            foreach (var key in metricKeys)
            {
                table.AddColumn(CliColumn.Number(Markup.Escape(key), priority: 4));
            }

            foreach (var run in page.Items)
            {
                var cells = new List<string>
                {
                    Markup.Escape(run.Info.RunId),
                    $"[bold]{Markup.Escape(run.Info.RunName)}[/]",
                    StatusMarkup(run.Info.Status),
                    Display.Time(run.Info.StartTime),
                    Display.Duration(run.Info.StartTime, run.Info.EndTime),
                };
                cells.AddRange(metricKeys.Select(k => run.Data.Metrics.Where(m => m.Key == k).Select(m => Display.Number(m.Value)).FirstOrDefault() ?? "-"));
                table.AddRow(cells.ToArray());
            }

            table.Write();
            AnsiConsole.MarkupLineInterpolated($"[grey]{page.Items.Count} run(s)[/]");
            if (page.NextPageToken is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]More runs: --page-token {page.NextPageToken}[/]");
            }

            return 0;
        });
        return command;
    }

    internal static string StatusMarkup(RunStatus status) => status switch
    {
        RunStatus.Finished => "[green]FINISHED[/]",
        RunStatus.Failed => "[red]FAILED[/]",
        RunStatus.Killed => "[red]KILLED[/]",
        RunStatus.Running => "[yellow]RUNNING[/]",
        _ => status.ToWire(),
    };
}
