using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data list</c></summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List datasets with their latest version and aliases.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var all = new List<Keel.Core.Data.VersionedDataset>();
            string? token = null;
            do
            {
                var page = await session.Datasets.ListAsync(1000, token, cancellationToken).ConfigureAwait(false);
                all.AddRange(page.Items);
                token = page.NextPageToken;
            }
            while (token is not null);

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new DatasetsResponse { Datasets = all }, DatasetJson.Default.DatasetsResponse);
                return 0;
            }

            if (all.Count == 0)
            {
                AnsiConsole.MarkupLine("No datasets yet. Add one with [bold]keel data add PATH --name NAME[/].");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("Name", priority: 9), CliColumn.Short("Latest", priority: 8), CliColumn.Text("Aliases", priority: 6), CliColumn.Short("Suite", priority: 5), CliColumn.Text("Description", priority: 4), CliColumn.Short("Updated", priority: 7));
            foreach (var d in all)
            {
                table.AddRow(
                    $"[bold]{Markup.Escape(d.Name)}[/]",
                    d.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", d.Aliases.Select(a => $"{a.Key}→{a.Value}"))),
                    d.Suite is null ? string.Empty : "yes",
                    Markup.Escape(d.Description ?? string.Empty),
                    Display.Time(d.UpdatedAt));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
