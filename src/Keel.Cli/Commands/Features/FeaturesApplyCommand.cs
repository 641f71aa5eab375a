using System.CommandLine;
using System.Globalization;
using Keel.Application.Features;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary><c>keel features apply FILE [--force] [--yes]</c> and <c>keel features plan FILE</c>.</summary>
internal static class FeaturesApplyCommand
{
    public static Command CreateApply()
    {
        var store = new StoreOptions();
        var file = new Argument<string>("file") { Description = "The definitions YAML (entities, sources, feature_views, on_demand_feature_views, feature_services); see docs/features.md." };
        var force = new Option<bool>("--force") { Description = "Apply even changes that break a view a production endpoint reads." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask before applying (a terminal is asked; scripts are not)." };
        var command = new Command("apply", "Apply feature definitions: show the plan, then create, update, version and delete in one step.") { file, force, yes };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var definitions = FeatureDefinitionsYaml.ReadFile(result.GetValue(file)!);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var plan = await session.Features.PlanAsync(definitions, cancellationToken).ConfigureAwait(false);
            var json = result.GetValue(store.Output) == OutputFormat.Json;
            if (!json)
            {
                FeaturePlanTable.Write(plan);
            }

            if (!plan.HasChanges)
            {
                if (json)
                {
                    WireOutput.Write(FeaturePlanWire.ToWire(plan, null), FeatureJson.Default.FeaturePlanResponse);
                }
                else
                {
                    AnsiConsole.MarkupLine("Nothing to change.");
                }

                return 0;
            }

            var forced = result.GetValue(force);
            if (plan.Refused.Count > 0 && !forced)
            {
                throw new KeelException(ErrorCode.ResourceConflict, "Refused: the marked changes break what production endpoints read (see above). Nothing was applied; pass --force to apply anyway.");
            }

            if (!json && !result.GetValue(yes) && !Console.IsInputRedirected && !AnsiConsole.Confirm("Apply these changes?", defaultValue: false))
            {
                AnsiConsole.MarkupLine("Nothing was applied.");
                return ExitCodes.Interrupted;
            }

            var applied = await session.Features.ApplyAsync(definitions, forced, plan.Revision, Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                var wire = FeaturePlanWire.ToWire(applied.Plan, null);
                wire.Applied = applied.Applied;
                wire.AppliedRevision = applied.Revision;
                WireOutput.Write(wire, FeatureJson.Default.FeaturePlanResponse);
                return 0;
            }

            var changed = applied.Plan.Items.Count(i => i.Action != FeaturePlanAction.Unchanged);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Applied {changed} change(s); the registry is at revision {applied.Revision}.");
            return 0;
        });
        return command;
    }

    public static Command CreatePlan()
    {
        var store = new StoreOptions();
        var file = new Argument<string>("file") { Description = "The definitions YAML." };
        var command = new Command("plan", "Show what 'keel features apply' would change per definition, without changing anything.") { file };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var definitions = FeatureDefinitionsYaml.ReadFile(result.GetValue(file)!);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var plan = await session.Features.PlanAsync(definitions, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(FeaturePlanWire.ToWire(plan, null), FeatureJson.Default.FeaturePlanResponse);
                return 0;
            }

            FeaturePlanTable.Write(plan);
            AnsiConsole.MarkupLine(!plan.HasChanges ? "Nothing to change."
                : plan.Refused.Count > 0 ? "[red]Refused changes[/] need 'keel features apply --force'."
                : "Run 'keel features apply' to make these changes.");
            return 0;
        });
        return command;
    }
}
