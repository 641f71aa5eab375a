using System.CommandLine;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Models;

/// <summary><c>keel models alias NAME ALIAS [VERSION] [--delete]</c></summary>
internal static class AliasCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var alias = new Argument<string>("alias") { Description = "Alias, e.g. champion." };
        var version = new Argument<string?>("version") { Description = "Version the alias points at (not with --delete).", Arity = ArgumentArity.ZeroOrOne };
        var delete = new Option<bool>("--delete") { Description = "Remove the alias instead of setting it." };
        var command = new Command("alias", "Point an alias at a model version, or delete it.") { name, alias, version, delete };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var (model, aliasName) = (result.GetValue(name), result.GetValue(alias));
            if (result.GetValue(delete))
            {
                await session.Registry.DeleteAliasAsync(model, aliasName, Environment.UserName, cancellationToken).ConfigureAwait(false);
                WireOutput.Done(result.GetValue(store.Output), $"Deleted alias [bold]{aliasName}[/] of {model}.");
                return 0;
            }

            // The service reports a missing version with MLflow's required-parameter message.
            await session.Registry.SetAliasAsync(model, aliasName, result.GetValue(version), Environment.UserName, cancellationToken).ConfigureAwait(false);
            WireOutput.Done(result.GetValue(store.Output), $"[bold]{aliasName}[/] → {model} v{result.GetValue(version)}");
            return 0;
        });
        return command;
    }
}
