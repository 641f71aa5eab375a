using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Features;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary><c>keel features list</c>: the feature views with version, entities, ttl, feature count and source.</summary>
internal static class FeaturesListCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var command = new Command("list", "List feature views (and on-demand views and services) at their current versions.");
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var catalog = await session.Features.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new FeatureCatalogResponse { Revision = catalog.Revision, Objects = [.. catalog.Objects.Select(FeatureWireMapping.ToWire)] }, FeatureJson.Default.FeatureCatalogResponse);
                return 0;
            }

            if (catalog.Objects.Count == 0)
            {
                AnsiConsole.MarkupLine("No feature definitions: apply some with 'keel features apply FILE.yaml'.");
                return 0;
            }

            var table = new CliTable(CliColumn.Short("View", priority: 9), CliColumn.Number("Version", priority: 8), CliColumn.Text("Entities", priority: 6), CliColumn.Short("TTL", priority: 4), CliColumn.Text("Features", priority: 7), CliColumn.Uri("Source", priority: 5), CliColumn.Short("Online", priority: 3));
            foreach (var o in catalog.Objects.Where(o => o.Kind is FeatureObjectKind.View or FeatureObjectKind.OnDemandView))
            {
                var version = "v" + o.Version.ToString(CultureInfo.InvariantCulture);
                if (o.Definition is FeatureView v)
                {
                    table.AddRow(
                        Markup.Escape(v.Name), version, Markup.Escape(string.Join(", ", v.Entities)), Markup.Escape(FeatureWireMapping.FormatTtl(v.Ttl) ?? "-"),
                        v.Features.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(v.Source), v.Online ? "yes" : "no");
                }
                else if (o.Definition is OnDemandFeatureView d)
                {
                    table.AddRow(
                        Markup.Escape(d.Name), version, "(on demand)", "-", d.Features.Count.ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(string.Join(", ", d.Sources.Concat(d.RequestFields.Select(f => "request:" + f.Name)))), "-");
                }
            }

            table.Write();
            var services = catalog.Objects.Where(o => o.Kind == FeatureObjectKind.Service).Select(o => (FeatureService)o.Definition).ToList();
            if (services.Count > 0)
            {
                AnsiConsole.MarkupLine("Services: " + Markup.Escape(string.Join(", ", services.Select(s => $"{s.Name} ({s.Features.Count} features)"))));
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Registry revision {catalog.Revision}.");
            return 0;
        });
        return command;
    }
}
