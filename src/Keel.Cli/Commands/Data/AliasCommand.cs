using System.CommandLine;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data alias NAME ALIAS [VERSION] [--delete]</c></summary>
internal static class AliasCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Dataset name." };
        var alias = new Argument<string>("alias") { Description = "Alias, e.g. production (latest is reserved)." };
        var version = new Argument<long?>("version") { Description = "Version the alias points at (not with --delete).", Arity = ArgumentArity.ZeroOrOne };
        var delete = new Option<bool>("--delete") { Description = "Remove the alias instead of setting it." };
        var command = new Command("alias", "Point an alias at a dataset version (datasets:/NAME@ALIAS), or delete it.") { name, alias, version, delete };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var (dataset, aliasName) = (result.GetValue(name), result.GetValue(alias));
            if (result.GetValue(delete))
            {
                await session.Datasets.DeleteAliasAsync(dataset, aliasName, Environment.UserName, cancellationToken).ConfigureAwait(false);
                WireOutput.Done(result.GetValue(store.Output), $"Deleted alias [bold]{aliasName}[/] of {dataset}.");
                return 0;
            }

            await session.Datasets.SetAliasAsync(dataset, aliasName, result.GetValue(version), Environment.UserName, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"[bold]{aliasName}[/] → datasets:/{dataset}/{result.GetValue(version)}");
            return 0;
        });
        return command;
    }
}
