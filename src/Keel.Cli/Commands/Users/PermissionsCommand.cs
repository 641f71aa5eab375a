using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Users;

/// <summary><c>keel permissions grant|get|update|revoke --experiment-id X|--model NAME --user U [--permission P]</c></summary>
internal static class PermissionsCommand
{
    public static Command Create() => new("permissions", "MLflow's permissions of users on experiments and registered models: grant, get, update, revoke.")
    {
        Build("grant", "Give a user a permission on an experiment or a registered model.", withLevel: true, async (api, kind, resource, user, level, ct) => await api.GrantAsync(kind, resource, user, level!, ct).ConfigureAwait(false)),
        Build("get", "Show a user's permission on an experiment or a registered model.", withLevel: false, async (api, kind, resource, user, _, ct) => await api.GetPermissionAsync(kind, resource, user, ct).ConfigureAwait(false)),
        Build("update", "Change a user's permission on an experiment or a registered model.", withLevel: true, async (api, kind, resource, user, level, ct) => await api.UpdatePermissionAsync(kind, resource, user, level!, ct).ConfigureAwait(false)),
        Build("revoke", "Remove a user's permission on an experiment or a registered model (the server's default applies again).", withLevel: false, async (api, kind, resource, user, _, ct) =>
        {
            await api.RevokePermissionAsync(kind, resource, user, ct).ConfigureAwait(false);
            return null;
        }),
    };

    private static Command Build(string verb, string description, bool withLevel, Func<GovernanceApi, PermissionResource, string, string, string?, CancellationToken, Task<ResourcePermission?>> act)
    {
        var store = new StoreOptions();
        var experiment = new Option<string?>("--experiment-id") { Description = "The experiment's id." };
        var model = new Option<string?>("--model") { Description = "The registered model's name." };
        var user = new Option<string>("--user") { Description = "The username.", Required = true };
        var permission = new Option<string>("--permission") { Description = "READ, EDIT, MANAGE or NO_PERMISSIONS.", Required = true };
        var command = new Command(verb, description) { experiment, model, user };
        if (withLevel)
        {
            command.Add(permission);
        }

        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var (kind, resource) = (result.GetValue(experiment), result.GetValue(model)) switch
            {
                ({ } e, null) => (PermissionResource.Experiment, e),
                (null, { } m) => (PermissionResource.RegisteredModel, m),
                _ => throw KeelException.InvalidParameter("Give exactly one of --experiment-id and --model."),
            };
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var row = await act(session.Governance, kind, resource, result.GetValue(user)!, withLevel ? result.GetValue(permission) : null, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                AnsiConsole.MarkupLineInterpolated($"Removed the permission of [bold]{result.GetValue(user)}[/] on {Describe(kind, resource)}.");
                return 0;
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                if (kind == PermissionResource.Experiment)
                {
                    WireOutput.Write(new ExperimentPermissionResponse { ExperimentPermission = new() { ExperimentId = row.Resource, UserId = row.UserId, Permission = row.Permission.Name() } }, GovernanceJson.Default.ExperimentPermissionResponse);
                }
                else
                {
                    WireOutput.Write(new RegisteredModelPermissionResponse { RegisteredModelPermission = new() { Name = row.Resource, UserId = row.UserId, Permission = row.Permission.Name() } }, GovernanceJson.Default.RegisteredModelPermissionResponse);
                }

                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[bold]{row.Username}[/] has [bold]{row.Permission.Name()}[/] on {Describe(kind, row.Resource)}.");
            return 0;
        });
        return command;
    }

    private static string Describe(PermissionResource kind, string resource) =>
        kind == PermissionResource.Experiment ? $"experiment {resource}" : $"registered model {resource}";
}
