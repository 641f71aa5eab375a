using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models stage NAME VERSION STAGE [--archive-existing]</c></summary>
internal static class StageCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var version = new Argument<string>("version") { Description = "Model version." };
        var stage = new Argument<string>("stage") { Description = "None, Staging, Production or Archived (any case)." };
        var archive = new Option<bool>("--archive-existing") { Description = "Archive the other versions in the target stage (Staging or Production)." };
        var command = new Command("stage", "Move a model version to a stage.") { name, version, stage, archive };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var moved = await session.Registry.TransitionStageAsync(
                result.GetValue(name), result.GetValue(version), result.GetValue(stage), result.GetValue(archive), Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new ModelVersionResponse { ModelVersion = moved.ToDto() }, WireJson.Default.ModelVersionResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"{moved.Name} v{moved.Version} is now [bold]{moved.CurrentStage.ToString()}[/].");
            return 0;
        });
        return command;
    }
}
