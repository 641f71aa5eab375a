using System.CommandLine;
using Keel.Application.Features;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary><c>keel features show NAME [--yaml]</c>: one definition, or with --yaml (and no name) every definition as a file apply reads back.</summary>
internal static class FeaturesShowCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string?>("name") { Description = "The definition's name (a view, on-demand view, service, source or entity). With --yaml and no name: every definition.", Arity = ArgumentArity.ZeroOrOne };
        var yaml = new Option<bool>("--yaml") { Description = "Print YAML that 'keel features apply' reads back." };
        var command = new Command("show", "Show a feature definition at its current version.") { name, yaml };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var catalog = await session.Features.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
            var wanted = result.GetValue(name);
            if (string.IsNullOrWhiteSpace(wanted))
            {
                if (!result.GetValue(yaml))
                {
                    throw KeelException.InvalidParameter("Name a definition, or pass --yaml to print them all.");
                }

                Console.Out.Write(FeatureDefinitionsYaml.Write(catalog.Definitions));
                return 0;
            }

            var found = catalog.Objects.Where(o => o.Name == wanted).OrderBy(o => o.Kind switch { FeatureObjectKind.View => 0, FeatureObjectKind.OnDemandView => 1, FeatureObjectKind.Service => 2, FeatureObjectKind.Source => 3, _ => 4 }).FirstOrDefault()
                ?? throw KeelException.NotFound($"No live feature definition named '{wanted}'.");
            if (result.GetValue(yaml))
            {
                var one = found.Definition switch
                {
                    FeatureEntity e => FeatureDefinitions.Empty with { Entities = [e] },
                    FeatureSource s => FeatureDefinitions.Empty with { Sources = [s] },
                    FeatureView v => FeatureDefinitions.Empty with { Views = [v] },
                    OnDemandFeatureView d => FeatureDefinitions.Empty with { OnDemandViews = [d] },
                    _ => FeatureDefinitions.Empty with { Services = [(FeatureService)found.Definition] },
                };
                Console.Out.Write(FeatureDefinitionsYaml.Write(one));
                return 0;
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(FeatureWireMapping.ToWire(found), FeatureJson.Default.FeatureObjectWire);
                return 0;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]" + Markup.Escape(FeatureWireMapping.KindName(found.Kind)) + "[/]", Markup.Escape($"{found.Name} v{found.Version}"));
            grid.AddRow("Applied", Display.Time(found.CreatedAt) + Markup.Escape(found.CreatedBy is { } by ? " by " + by : string.Empty));
            grid.AddRow("Updated", Display.Time(found.UpdatedAt));
            AnsiConsole.Write(grid);
            AnsiConsole.WriteLine();
            Console.Out.Write(FeatureDefinitionsYaml.Write(found.Definition switch
            {
                FeatureEntity e => FeatureDefinitions.Empty with { Entities = [e] },
                FeatureSource s => FeatureDefinitions.Empty with { Sources = [s] },
                FeatureView v => FeatureDefinitions.Empty with { Views = [v] },
                OnDemandFeatureView d => FeatureDefinitions.Empty with { OnDemandViews = [d] },
                _ => FeatureDefinitions.Empty with { Services = [(FeatureService)found.Definition] },
            }));
            return 0;
        });
        return command;
    }
}
