using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models versions NAME</c></summary>
internal static class VersionsCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var command = new Command("versions", "List the versions of a registered model, newest first.") { name };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var model = result.GetValue(name)!;
            // Fails with MLflow's not-found message for an unknown model, rather than an empty list.
            await session.Registry.GetRegisteredModelAsync(model, cancellationToken).ConfigureAwait(false);
            var filter = "name = '" + model.Replace("'", "''", StringComparison.Ordinal) + "'";
            var page = await session.Registry.SearchModelVersionsAsync(filter, ["version_number DESC"], null, null, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ModelVersionsResponse { ModelVersions = page.Items.Count == 0 ? null : page.Items.Select(v => v.ToDto()).ToList(), NextPageToken = page.NextPageToken }, WireJson.Default.ModelVersionsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Number("Version", priority: 9), CliColumn.Short("Stage", priority: 7), CliColumn.Text("Aliases", priority: 8), CliColumn.Short("Run", priority: 4), CliColumn.Uri("Source", priority: 6), CliColumn.Short("Created", priority: 5));
            foreach (var v in page.Items)
            {
                table.AddRow(
                    $"[bold]{v.Version}[/]",
                    v.CurrentStage.ToString(),
                    Markup.Escape(string.Join(", ", v.Aliases)),
                    Markup.Escape(v.RunId ?? string.Empty),
                    Markup.Escape(v.Source),
                    Display.Time(v.CreationTimestamp));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
