using System.CommandLine;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models download URI --dest DIR</c></summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var uri = new Argument<string>("uri") { Description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE or runs:/RUN_ID/PATH." };
        var dest = new Option<string>("--dest") { Description = "Directory to copy the model into.", Required = true };
        var command = new Command("download", "Download a model's artifact directory.") { uri, dest };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var target = Path.GetFullPath(result.GetValue(dest)!);
            var (resolved, count) = await session.Models().DownloadAsync(result.GetValue(uri)!, target, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"Downloaded {count} file(s) from {resolved.ArtifactUri} to {target}");
            return 0;
        });
        return command;
    }
}
