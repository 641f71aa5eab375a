using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Experiments;

/// <summary><c>keel experiments create NAME</c></summary>
internal static class CreateCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Experiment name (unique)." };
        var artifactLocation = new Option<string?>("--artifact-location") { Description = "Where the experiment's artifacts go; default chosen by the server." };

        var command = new Command("create", "Create an experiment.") { name, artifactLocation };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var id = await session.Tracking.CreateExperimentAsync(result.GetValue(name)!, result.GetValue(artifactLocation), new List<Tag>(), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new CreateExperimentResponse { ExperimentId = id }, WireJson.Default.CreateExperimentResponse);
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Created experiment [bold]{result.GetValue(name)}[/] with id [green]{id}[/]");
            }

            return 0;
        });
        return command;
    }
}
