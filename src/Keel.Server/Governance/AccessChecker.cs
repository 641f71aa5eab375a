using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Tracking;
using Keel.Server.Http;

namespace Keel.Server.Governance;

/// <summary>
/// Decides whether a signed-in caller may call a route: MLflow's permission rules for experiments,
/// runs, registered models and versions (admins pass; an explicit row, else the default permission),
/// and for Keel's own resources the caller's role in the resource's environment (their own binding
/// or a group's, the highest wins; <c>*</c> bindings cover every environment; else the default role).
/// </summary>
internal sealed class AccessChecker(
    IGovernanceStore governance,
    ITrackingStore tracking,
    IAlertCatalog alerts,
    IPipelineStore pipelines,
    Func<GovernedResource, string, CancellationToken, ValueTask<string>> environmentOf,
    GovernanceCache cache,
    AuthOptions options)
{
    /// <summary>Whether <paramref name="caller"/> may call a route with <paramref name="policy"/>.</summary>
    public async ValueTask<bool> AllowsAsync(Caller caller, RoutePolicy policy, RequestArgs args, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin || policy is PublicPolicy or AuthenticatedPolicy)
        {
            return true;
        }

        return policy switch
        {
            AdminPolicy => false,
            SelfPolicy self => string.Equals(await args.RequiredAsync(self.Parameter).ConfigureAwait(false), caller.Username, StringComparison.Ordinal),
            PermissionPolicy permission => await PermitsAsync(caller, permission, args, cancellationToken).ConfigureAwait(false),
            RolePolicy role => await RoleAsync(caller, await EnvironmentOfAsync(role.Resource, args, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) >= role.Role,
            _ => false,
        };
    }

    /// <summary>The caller's level on an experiment or registered model (MLflow's rule).</summary>
    public async ValueTask<PermissionLevel> LevelAsync(Caller caller, PermissionResource kind, string resource, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return PermissionLevel.Manage;
        }

        var key = (caller.Username, kind, resource);
        if (!cache.Permissions.TryGetValue(key, out var level))
        {
            level = (await governance.FindPermissionAsync(kind, resource, caller.Username, cancellationToken).ConfigureAwait(false))?.Permission;
            cache.Trim(cache.Permissions);
            cache.Permissions[key] = level;
        }

        return level ?? options.DefaultPermission;
    }

    /// <summary>The caller's role in an environment.</summary>
    public async ValueTask<EnvironmentRole> RoleAsync(Caller caller, string environment, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return EnvironmentRole.Admin;
        }

        if (!cache.Roles.TryGetValue(caller.Username, out var roles))
        {
            roles = await LoadRolesAsync(caller.Username, cancellationToken).ConfigureAwait(false);
            cache.Trim(cache.Roles);
            cache.Roles[caller.Username] = roles;
        }

        // An explicit binding (the environment's or a "*" one) wins over the default, even when lower.
        var here = roles.TryGetValue(environment, out var inEnvironment);
        var anywhere = roles.TryGetValue("*", out var everywhere);
        return (here, anywhere) switch
        {
            (false, false) => options.DefaultRole,
            (true, false) => inEnvironment,
            (false, true) => everywhere,
            _ => inEnvironment > everywhere ? inEnvironment : everywhere,
        };
    }

    /// <summary>The experiment a run belongs to (runs never move, so this is remembered).</summary>
    public async ValueTask<string> ExperimentOfRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (cache.RunExperiments.TryGetValue(runId, out var experimentId))
        {
            return experimentId;
        }

        Keel.Core.Tracking.Run run;
        try
        {
            run = await tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.InvalidParameterValue)
        {
            // No such run: decided as for an experiment nobody owns; the route then answers its own 404.
            return Unowned;
        }

        cache.Trim(cache.RunExperiments);
        return cache.RunExperiments[runId] = run.Info.ExperimentId;
    }

    private async ValueTask<bool> PermitsAsync(Caller caller, PermissionPolicy policy, RequestArgs args, CancellationToken cancellationToken)
    {
        var (kind, resources) = await ResourcesAsync(policy, args, cancellationToken).ConfigureAwait(false);
        foreach (var resource in resources)
        {
            if (await LevelAsync(caller, kind, resource, cancellationToken).ConfigureAwait(false) < policy.Level)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<(PermissionResource Kind, IReadOnlyList<string> Resources)> ResourcesAsync(PermissionPolicy policy, RequestArgs args, CancellationToken cancellationToken)
    {
        switch (policy.Source)
        {
            case ResourceSource.ExperimentId when policy.Parameter is { } many:
                return (PermissionResource.Experiment, await args.ValuesAsync(many).ConfigureAwait(false));
            case ResourceSource.ExperimentId:
                // MLflow creates a run in the default experiment "0" when none is named.
                return (PermissionResource.Experiment, [await args.ValueAsync("experiment_id").ConfigureAwait(false) ?? "0"]);
            case ResourceSource.ExperimentName:
                var name = await args.RequiredAsync("experiment_name").ConfigureAwait(false);
                try
                {
                    return (PermissionResource.Experiment, [(await tracking.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId]);
                }
                catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
                {
                    return (PermissionResource.Experiment, [Unowned]);
                }

            case ResourceSource.RunId:
                var runIds = policy.Parameter is { } runParameter
                    ? await args.ValuesAsync(runParameter).ConfigureAwait(false)
                    : [await args.ValueAsync("run_id").ConfigureAwait(false) ?? await args.RequiredAsync("run_uuid").ConfigureAwait(false)];
                var experiments = new List<string>(runIds.Count);
                foreach (var runId in runIds)
                {
                    experiments.Add(await ExperimentOfRunAsync(runId, cancellationToken).ConfigureAwait(false));
                }

                return (PermissionResource.Experiment, experiments);
            case ResourceSource.ModelName:
                return (PermissionResource.RegisteredModel, [await args.RequiredAsync(policy.Parameter ?? "name").ConfigureAwait(false)]);
            case ResourceSource.ArtifactPath:
                var path = await args.ValueAsync(policy.Parameter ?? "path").ConfigureAwait(false) ?? string.Empty;
                var first = path.TrimStart('/').Split('/', 2)[0];
                // Only experiment folders are anyone's; the root and other paths are the admins'.
                return first.Length > 0 && first.All(char.IsAsciiDigit)
                    ? (PermissionResource.Experiment, [first])
                    : (PermissionResource.Experiment, [Unowned]);
            default:
                throw new InvalidOperationException($"Unknown resource source {policy.Source}.");
        }
    }

    // An experiment id no experiment has, so only an explicit grant (never made) or an admin passes.
    private const string Unowned = "-";

    private async ValueTask<string> EnvironmentOfAsync(GovernedName name, RequestArgs args, CancellationToken cancellationToken)
    {
        if (name.Lookup == GovernedLookup.EnvironmentName)
        {
            return await args.ValueAsync(name.Parameter).ConfigureAwait(false) ?? EnvironmentDefaults.Default;
        }

        var value = await args.RequiredAsync(name.Parameter).ConfigureAwait(false);
        var resource = name.Lookup switch
        {
            GovernedLookup.Direct => value,
            // A missing rule, alert or run is decided in the default environment; the route then answers its own 404.
            GovernedLookup.AlertRule => (await alerts.FindRuleAsync(value, cancellationToken).ConfigureAwait(false))?.Endpoint,
            GovernedLookup.AlertId => long.TryParse(value, out var alertId) ? (await alerts.FindAlertAsync(alertId, cancellationToken).ConfigureAwait(false))?.Endpoint : null,
            GovernedLookup.PipelineRun => long.TryParse(value, out var runId) ? (await pipelines.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))?.Pipeline : null,
            GovernedLookup.PipelineDefinition => PipelineNames.Declared(value)
                ?? throw KeelException.InvalidParameter("Field 'definition' must declare the pipeline's 'name'."),
            GovernedLookup.DatasetUri => DatasetName(value),
            _ => throw new InvalidOperationException($"Unknown lookup {name.Lookup}."),
        };
        return resource is null ? EnvironmentDefaults.Default : await environmentOf(name.Kind, resource, cancellationToken).ConfigureAwait(false);
    }

    private static string DatasetName(string uri)
    {
        const string scheme = "datasets:/";
        if (!uri.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"Parameter 'uri' must be a dataset URI (datasets:/NAME/VERSION or datasets:/NAME@ALIAS), got '{uri}'.");
        }

        var rest = uri[scheme.Length..].TrimStart('/');
        var end = rest.IndexOfAny(['/', '@']);
        return end < 0 ? rest : rest[..end];
    }

    private async Task<IReadOnlyDictionary<string, EnvironmentRole>> LoadRolesAsync(string username, CancellationToken cancellationToken)
    {
        var principals = new HashSet<string>(StringComparer.Ordinal) { "user:" + username };
        foreach (var group in await governance.GroupsOfAsync(username, cancellationToken).ConfigureAwait(false))
        {
            principals.Add("group:" + group);
        }

        var roles = new Dictionary<string, EnvironmentRole>(StringComparer.Ordinal);
        foreach (var binding in await governance.ListRolesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (principals.Contains(binding.Principal) && binding.Role > roles.GetValueOrDefault(binding.Environment))
            {
                roles[binding.Environment] = binding.Role;
            }
        }

        return roles;
    }
}
