using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Experiments;

/// <summary><c>keel experiments list</c></summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"name LIKE 'demo%'\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "Order-by clause, e.g. \"name ASC\" (repeatable)." };
        var view = new Option<ViewType>("--view") { Description = "ActiveOnly, DeletedOnly or All.", DefaultValueFactory = _ => ViewType.ActiveOnly };
        var maxResults = new Option<long?>("--max-results") { Description = $"Page size (default {RequestLimits.DefaultSearchResults}, at most {RequestLimits.MaxSearchResults})." };
        var pageToken = new Option<string?>("--page-token") { Description = "Token of the page to show (printed after a full page)." };

        var command = new Command("list", "List experiments.") { filter, orderBy, view, maxResults, pageToken };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var page = await session.Tracking.SearchExperimentsAsync(
                result.GetValue(filter), result.GetValue(orderBy), result.GetValue(view), result.GetValue(maxResults), result.GetValue(pageToken), cancellationToken).ConfigureAwait(false);

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new SearchExperimentsResponse { Experiments = page.Items.Count == 0 ? null : page.Items.Select(e => e.ToDto()).ToList(), NextPageToken = page.NextPageToken }, WireJson.Default.SearchExperimentsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short("ID", priority: 9), CliColumn.Short("Name", priority: 8), CliColumn.Short("Stage", priority: 7), CliColumn.Short("Created", priority: 6), CliColumn.Uri("Artifact location", priority: 5));
            foreach (var e in page.Items)
            {
                table.AddRow(Markup.Escape(e.ExperimentId), $"[bold]{Markup.Escape(e.Name)}[/]", e.LifecycleStage.ToWire(), Display.Time(e.CreationTime), Markup.Escape(e.ArtifactLocation));
            }

            table.Write();
            if (page.NextPageToken is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]More experiments: --page-token {page.NextPageToken}[/]");
            }

            return 0;
        });
        return command;
    }
}
