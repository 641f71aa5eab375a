using System.CommandLine;
using System.Diagnostics;
using Keel.Cli.Infrastructure;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Features;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary>
/// <c>keel features get-historical --entities FILE --features SERVICE|view:feature,... [--full-feature-names]
/// [--entity-timestamp-column event_timestamp] --output FILE.parquet|FILE.csv [--dataset NAME]</c>:
/// point-in-time training data, run where the files are (like <c>keel data add</c>).
/// </summary>
internal static class GetHistoricalCommand
{
    /// <summary>Where the command finds the feature registry of a session (tests point it at a fixed catalog).</summary>
    internal static Func<StoreSession, IFeatureRegistry> RegistryOf { get; set; } = session => session.FeatureRegistry;

    public static Command Create()
    {
        var store = new StoreOptions();
        var entities = new Option<string>("--entities") { Description = "The entity rows: a CSV or Parquet file (or a datasets:/ URI) with the join keys and the entity timestamp column.", Required = true };
        var features = new Option<string>("--features") { Description = "A feature service name, or view:feature,... in output order.", Required = true };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name the feature columns view__feature (needed when two views share a feature name)." };
        var tsColumn = new Option<string>("--entity-timestamp-column") { Description = "The entity file's time column.", DefaultValueFactory = _ => HistoricalRequest.DefaultTimestampColumn };
        var output = new Option<string>("--output", "-o") { Description = "The file to write: .parquet or .csv (overwritten).", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Also add the output as the next version of this dataset (created if new), linked in lineage." };
        var command = new Command("get-historical", "Build point-in-time-correct training data for entity rows (Feast's get_historical_features).")
        {
            entities, features, fullNames, tsColumn, output, dataset,
        };
        command.Add(store.TrackingUri);
        command.Add(store.DataDir);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var outputPath = result.GetValue(output)!;
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var catalog = await RegistryOf(session).GetCatalogAsync(cancellationToken).ConfigureAwait(false);
            var definitions = catalog.Definitions;
            var references = OfflineRetrieval.ResolveFeatures(definitions, result.GetValue(features)!);
            await using var workflow = session.DataWorkflow();
            async Task<string> Checkout(string uri, CancellationToken ct) => (await workflow.CheckoutAsync(uri, null, ct).ConfigureAwait(false)).LocalPath;

            HistoricalSummary summary = null!;
            Keel.Core.Data.DatasetVersion? added = null;
            await AnsiConsole.Status().StartAsync("Resolving the entity rows", async status =>
            {
                var entityPath = result.GetValue(entities)!;
                if (DatasetUri.IsDatasetUri(entityPath))
                {
                    status.Status($"Checking out {entityPath}");
                    entityPath = await Checkout(entityPath, cancellationToken).ConfigureAwait(false);
                }

                var request = new HistoricalRequest(entityPath, references, result.GetValue(fullNames), result.GetValue(tsColumn)!);
                summary = await new OfflineRetrieval(definitions, Checkout)
                    .WriteAsync(request, outputPath, new StatusProgress(status), cancellationToken).ConfigureAwait(false);
                if (result.GetValue(dataset) is { } name)
                {
                    status.Status($"Adding {Path.GetFileName(outputPath)} to dataset {name}");
                    var outcome = await workflow.AddAsync(outputPath, name, null, Environment.UserName, null, cancellationToken).ConfigureAwait(false);
                    added = outcome.Version;
                }
            }).ConfigureAwait(false);

            AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{outputPath}[/]: {summary.Rows:N0} rows, {summary.Columns.Count} columns ({references.Count} feature{(references.Count == 1 ? string.Empty : "s")}) in {clock.Elapsed.TotalSeconds:F2} s.");
            var table = new CliTable(CliColumn.Short("view"), CliColumn.Number("matched"), CliColumn.Number("share"), CliColumn.Short("ttl"));
            foreach (var view in summary.Views)
            {
                var definition = definitions.FindView(view.View)!;
                table.AddRow(
                    Markup.Escape(view.View),
                    view.Matched.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    view.Share.ToString("P1", System.Globalization.CultureInfo.InvariantCulture),
                    definition.Unbounded ? "none" : definition.Ttl!.Value.ToString());
            }

            table.Write();
            if (added is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"Added as [bold]{added.Uri}[/].");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Shows each stage on the status line as it starts (synchronously, so stages never appear out of order).</summary>
    private sealed class StatusProgress(StatusContext status) : IProgress<string>
    {
        public void Report(string value) => status.Status(Markup.Escape(value));
    }
}
