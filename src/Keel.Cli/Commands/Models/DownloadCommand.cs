using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models download URI --dest DIR</c></summary>
internal static class DownloadCommand
{
    private const string ProxyScheme = "mlflow-artifacts:";

    public static Command Create()
    {
        var store = new StoreOptions();
        var uri = new Argument<string>("uri") { Description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE or runs:/RUN_ID/PATH." };
        var dest = new Option<string>("--dest") { Description = "Directory to copy the model into.", Required = true };
        var command = new Command("download", "Download a model's artifact directory.") { uri, dest };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result).ConfigureAwait(false);
            var resolved = await session.Registry.ResolveModelUriAsync(result.GetValue(uri), cancellationToken).ConfigureAwait(false);
            if (!resolved.ArtifactUri.StartsWith(ProxyScheme, StringComparison.Ordinal))
            {
                throw KeelException.InvalidParameter($"Cannot download '{resolved.ArtifactUri}': only mlflow-artifacts: locations served by Keel are supported.");
            }

            var root = resolved.ArtifactUri[ProxyScheme.Length..].Trim('/');
            var target = Path.GetFullPath(result.GetValue(dest)!);
            var count = await CopyAsync(session.Artifacts, root, string.Empty, target, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                throw KeelException.NotFound($"No artifacts found at {resolved.ArtifactUri}.");
            }

            AnsiConsole.MarkupLineInterpolated($"Downloaded {count} file(s) from {resolved.ArtifactUri} to {target}");
            return 0;
        });
        return command;
    }

    /// <summary>Copies a directory tree, listing one level at a time (the port lists immediate children).</summary>
    private static async Task<int> CopyAsync(IArtifactStore artifacts, string root, string relative, string target, CancellationToken cancellationToken)
    {
        var here = relative.Length == 0 ? root : root + "/" + relative;
        var count = 0;
        foreach (var entry in await artifacts.ListAsync(here, cancellationToken).ConfigureAwait(false))
        {
            var name = entry.Path.Split('/')[^1];
            var child = relative.Length == 0 ? name : relative + "/" + name;
            if (entry.IsDir)
            {
                count += await CopyAsync(artifacts, root, child, target, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var file = Path.Combine(target, child.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var source = await artifacts.OpenReadAsync(root + "/" + child, cancellationToken).ConfigureAwait(false);
            await using var output = File.Create(file);
            await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }
}
