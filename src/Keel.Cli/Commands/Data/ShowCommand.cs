using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Data;
using Keel.Core.Wire;
using Keel.Data.Profiling;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data show NAME|URI</c></summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var target = new Argument<string>("target") { Description = "A dataset name (its latest version) or a dataset URI (datasets:/NAME/VERSION, @ALIAS, @latest)." };
        var command = new Command("show", "Show a dataset version: where it came from, its schema and its profile.") { target };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var text = result.GetValue(target)!;
            var uri = DatasetUri.IsDatasetUri(text) ? text : DatasetUri.Scheme + text + "@latest";
            var version = await session.Datasets.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new DatasetVersionResponse { Version = version }, DatasetJson.Default.DatasetVersionResponse);
                return 0;
            }

            var dataset = await session.Datasets.GetAsync(version.Name, cancellationToken).ConfigureAwait(false);
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]Version[/]", Markup.Escape(version.Uri) + (version.Version == dataset.LatestVersion ? " [grey](latest)[/]" : string.Empty));
            grid.AddRow("Aliases", Markup.Escape(string.Join(", ", version.Aliases)));
            grid.AddRow("Content", Markup.Escape($"{version.Format}, {version.FileCount:N0} files, {Display.Bytes(version.SizeBytes)}" + (version.RowCount is { } rows ? $", {rows:N0} rows" : string.Empty)));
            grid.AddRow("Digest", version.ManifestDigest);
            grid.AddRow("Source", Markup.Escape(version.Source ?? string.Empty));
            grid.AddRow("Added", $"{Display.Time(version.CreatedAt)} by {Markup.Escape(version.CreatedBy ?? "?")}");
            grid.AddRow("Dataset", Markup.Escape($"{dataset.Description ?? string.Empty} ({dataset.LatestVersion} versions{(dataset.Suite is null ? string.Empty : ", gated by a suite")})"));
            AnsiConsole.Write(grid);
            if (version.Profile is { } profile)
            {
                DataDisplay.Profile(TableProfile.Parse(profile));
            }

            if (version.Validation is { } validation)
            {
                var parsed = System.Text.Json.Nodes.JsonNode.Parse(validation)!;
                AnsiConsole.MarkupLineInterpolated($"Gate: suite [bold]{(string?)parsed["suite_name"]}[/], {(string?)parsed["statistics"]?["successful_expectations"]?.ToJsonString()}/{parsed["statistics"]?["evaluated_expectations"]?.ToJsonString()} met.");
            }

            return 0;
        });
        return command;
    }
}
