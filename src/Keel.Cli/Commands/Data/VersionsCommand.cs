using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data versions NAME</c></summary>
internal static class VersionsCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Dataset name." };
        var max = new Option<int>("--max") { Description = "The most versions to show (newest first).", DefaultValueFactory = _ => 100 };
        var command = new Command("versions", "List the versions of a dataset, newest first.") { name, max };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var page = await session.Datasets.ListVersionsAsync(result.GetValue(name), result.GetValue(max), null, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new DatasetVersionsResponse { Versions = [.. page.Items], NextPageToken = page.NextPageToken }, DatasetJson.Default.DatasetVersionsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Number("Version", priority: 9), CliColumn.Text("Aliases", priority: 8), CliColumn.Short("Format", priority: 5), CliColumn.Number("Files", priority: 4), CliColumn.Number("Size", priority: 6), CliColumn.Number("Rows", priority: 6), CliColumn.Uri("Digest", priority: 2), CliColumn.Short("Added", priority: 7), CliColumn.Short("By", priority: 3));
            foreach (var v in page.Items)
            {
                table.AddRow(
                    $"[bold]{v.Version}[/]",
                    Markup.Escape(string.Join(", ", v.Aliases)),
                    v.Format,
                    v.FileCount.ToString("N0", CultureInfo.InvariantCulture),
                    Display.Bytes(v.SizeBytes),
                    v.RowCount?.ToString("N0", CultureInfo.InvariantCulture) ?? string.Empty,
                    v.ManifestDigest[..12],
                    Display.Time(v.CreatedAt),
                    Markup.Escape(v.CreatedBy ?? string.Empty));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
