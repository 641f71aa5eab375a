using System.CommandLine;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Features;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary><c>keel features versions NAME</c>: every stored version of a definition.</summary>
internal static class FeaturesVersionsCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "The definition's name (views first, then on-demand views, services, sources, entities)." };
        var command = new Command("versions", "List every version of a feature definition, oldest first (deleted ones too).") { name };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var versions = await session.Features.VersionsAsync(result.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new FeatureVersionsResponse { Versions = [.. versions.Select(FeatureWireMapping.ToWire)] }, FeatureJson.Default.FeatureVersionsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Number("Version", priority: 9), CliColumn.Short("Kind", priority: 8), CliColumn.Short("Applied", priority: 6), CliColumn.Short("By", priority: 5), CliColumn.Short("Updated", priority: 7), CliColumn.Text("Schema", priority: 4));
            foreach (var v in versions)
            {
                table.AddRow(
                    "v" + v.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(FeatureWireMapping.KindName(v.Kind)), Display.Time(v.CreatedAt),
                    Markup.Escape(v.CreatedBy ?? string.Empty), Display.Time(v.UpdatedAt), Markup.Escape(Schema(v.Definition)));
            }

            table.Write();
            return 0;
        });
        return command;
    }

    private static string Schema(object definition) => definition switch
    {
        FeatureView v => $"[{string.Join(", ", v.Entities)}] {string.Join(", ", v.Features.Select(f => f.Name + ":" + f.Dtype))} from {v.Source}",
        OnDemandFeatureView d => string.Join(", ", d.Features.Select(f => $"{f.Name}:{f.Dtype} = {f.Expression}")),
        FeatureService s => string.Join(", ", s.Features),
        FeatureSource s => s.Path,
        FeatureEntity e => string.Join(", ", e.JoinKeys),
        _ => string.Empty,
    };
}
