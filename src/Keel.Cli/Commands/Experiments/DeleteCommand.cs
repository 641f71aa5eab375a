using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Experiments;

/// <summary><c>keel experiments delete ID</c></summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var id = new Argument<string>("experiment-id") { Description = "Experiment id." };

        var command = new Command("delete", "Delete an experiment (soft delete; restore brings it back).") { id };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await session.Tracking.DeleteExperimentAsync(result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new EmptyResponse(), WireJson.Default.EmptyResponse);
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Deleted experiment [green]{result.GetValue(id)}[/]");
            }

            return 0;
        });
        return command;
    }
}
