using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models show NAME</c></summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var command = new Command("show", "Show a registered model with its tags, aliases and latest versions.") { name };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var model = await session.Registry.GetRegisteredModelAsync(result.GetValue(name), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new RegisteredModelResponse { RegisteredModel = model.ToDto() }, WireJson.Default.RegisteredModelResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[bold]{model.Name}[/]  created {Display.Time(model.CreationTimestamp)}, updated {Display.Time(model.LastUpdatedTimestamp)}");
            if (!string.IsNullOrEmpty(model.Description))
            {
                AnsiConsole.MarkupLineInterpolated($"{model.Description}");
            }

            var table = new CliTable(CliColumn.Short("Kind"), CliColumn.Short("Key"), CliColumn.Text("Value"));
            foreach (var tag in model.Tags)
            {
                table.AddRow("tag", Markup.Escape(tag.Key), Markup.Escape(tag.Value));
            }

            foreach (var alias in model.Aliases)
            {
                table.AddRow("alias", Markup.Escape(alias.Alias), "v" + alias.Version);
            }

            foreach (var v in model.LatestVersions)
            {
                table.AddRow("latest", v.CurrentStage.ToString(), Markup.Escape($"v{v.Version} {v.Source}"));
            }

            table.Write();
            return 0;
        });
        return command;
    }
}
