using System.Globalization;
using Keel.Application.Features;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary>A plan as a table: kind, name, action, version before → after, why; refused changes with the endpoints.</summary>
internal static class FeaturePlanTable
{
    public static void Write(FeaturePlan plan)
    {
        var table = new CliTable(CliColumn.Short("Kind", priority: 8), CliColumn.Short("Name", priority: 9), CliColumn.Short("Action", priority: 9), CliColumn.Short("Version", priority: 6), CliColumn.Text("Why", priority: 7));
        foreach (var i in plan.Items)
        {
            var version = $"{V(i.VersionBefore)} → {V(i.VersionAfter)}";
            var why = Markup.Escape(i.Reason);
            if (i.Endpoints.Count > 0)
            {
                why += (why.Length > 0 ? "\n" : string.Empty) + (i.Refused ? "[red]refused without --force:[/] " : string.Empty)
                    + Markup.Escape("read in production by " + string.Join("; ", i.Endpoints.Select(e => $"{e.Name} ({string.Join(", ", e.ModelUris)})"))
                        + (i.Models.Count > 0 ? "; models " + string.Join(", ", i.Models) : string.Empty));
            }

            table.AddRow(Markup.Escape(FeatureWireMapping.KindName(i.Kind)), Markup.Escape(i.Name), Action(i), version, why);
        }

        table.Write();
    }

    private static string V(int? version) => version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Action(FeaturePlanItem i) => i.Action switch
    {
        FeaturePlanAction.Create => "[green]create[/]",
        FeaturePlanAction.Update => "[blue]update[/]",
        FeaturePlanAction.NewVersion => i.Refused ? "[red]new version[/]" : "[yellow]new version[/]",
        FeaturePlanAction.Delete => i.Refused ? "[red]delete[/]" : "[yellow]delete[/]",
        _ => "[grey]unchanged[/]",
    };
}
