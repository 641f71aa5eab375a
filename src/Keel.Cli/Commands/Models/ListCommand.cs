using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models list</c></summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, e.g. \"name LIKE 'churn%'\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "Order-by clause, e.g. \"name DESC\" (repeatable)." };
        var maxResults = new Option<long?>("--max-results") { Description = $"Page size (default {RequestLimits.DefaultModelSearchResults}, at most {RequestLimits.MaxModelSearchResults})." };
        var pageToken = new Option<string?>("--page-token") { Description = "Token of the page to show." };
        var command = new Command("list", "List registered models.") { filter, orderBy, maxResults, pageToken };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var page = await session.Registry.SearchRegisteredModelsAsync(
                result.GetValue(filter), result.GetValue(orderBy), result.GetValue(maxResults), result.GetValue(pageToken), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new SearchRegisteredModelsResponse { RegisteredModels = page.Items.Count == 0 ? null : page.Items.Select(m => m.ToDto()).ToList(), NextPageToken = page.NextPageToken }, WireJson.Default.SearchRegisteredModelsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Name", priority: 9), CliColumn.Text("Latest versions", priority: 8), CliColumn.Text("Aliases", priority: 7), CliColumn.Short("Updated", priority: 6), CliColumn.Text("Description", priority: 5));
            foreach (var m in page.Items)
            {
                table.AddRow(
                    $"[bold]{Markup.Escape(m.Name)}[/]",
                    Markup.Escape(string.Join(", ", m.LatestVersions.Select(v => $"v{v.Version} ({v.CurrentStage})"))),
                    Markup.Escape(string.Join(", ", m.Aliases.Select(a => $"{a.Alias}→v{a.Version}"))),
                    Display.Time(m.LastUpdatedTimestamp),
                    Markup.Escape(m.Description ?? string.Empty));
            }

            table.Write();
            if (page.NextPageToken is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]More models: --page-token {page.NextPageToken}[/]");
            }

            return 0;
        });
        return command;
    }
}
