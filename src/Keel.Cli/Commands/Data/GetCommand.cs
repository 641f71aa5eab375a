using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data get URI [--out PATH]</c></summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var uri = new Argument<string>("uri") { Description = "datasets:/NAME/VERSION, datasets:/NAME@ALIAS or datasets:/NAME@latest, optionally /PATH inside the version." };
        var output = new Option<string?>("--out") { Description = "Where to write the files (default: NAME-vVERSION in the current folder)." };
        var command = new Command("get", "Write a dataset version's files to disk, checking every digest.") { uri, output };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await using var workflow = session.DataWorkflow();
            var version = await session.Datasets.ResolveAsync(result.GetValue(uri), cancellationToken).ConfigureAwait(false);
            var destination = result.GetValue(output) ?? $"{version.Name}-v{version.Version}";
            await ContentProgressView.RunAsync(
                $"Getting {version.Uri}",
                result.GetValue(store.Output) == OutputFormat.Json,
                async progress => await workflow.GetAsync(result.GetValue(uri)!, destination, progress, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new DatasetVersionResponse { Version = version }, DatasetJson.Default.DatasetVersionResponse);
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{version.Uri}[/] ({version.FileCount:N0} files, {Display.Bytes(version.SizeBytes)}) to {destination}.");
            return 0;
        });
        return command;
    }
}
