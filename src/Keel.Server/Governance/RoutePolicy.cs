using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>
/// Who may call one route. Each route of the server has exactly one, in <see cref="RoutePolicies"/>;
/// a route without one is refused to everyone but admins, and the authorization test (generated
/// from the route table) fails until it gets one.
/// </summary>
internal abstract record RoutePolicy
{
    /// <summary>Anyone, signed in or not: health checks, the version, the UI's static files, the OpenAPI document.</summary>
    public static readonly RoutePolicy Public = new PublicPolicy();

    /// <summary>Any signed-in user.</summary>
    public static readonly RoutePolicy Authenticated = new AuthenticatedPolicy();

    /// <summary>Admins only: user management, environments, the stores' internal routes that workers and replicas use.</summary>
    public static readonly RoutePolicy Admin = new AdminPolicy();

    /// <summary>A short description for the authorization table and error logs.</summary>
    public abstract string Describe();
}

/// <summary>No sign-in needed.</summary>
internal sealed record PublicPolicy : RoutePolicy
{
    public override string Describe() => "public";
}

/// <summary>Any signed-in user.</summary>
internal sealed record AuthenticatedPolicy : RoutePolicy
{
    public override string Describe() => "authenticated";
}

/// <summary>Admins only.</summary>
internal sealed record AdminPolicy : RoutePolicy
{
    public override string Describe() => "admin";
}

/// <summary>The user named by the request's <paramref name="Parameter"/> themselves, or an admin (MLflow's <c>username_is_sender</c>).</summary>
internal sealed record SelfPolicy(string Parameter) : RoutePolicy
{
    public override string Describe() => $"self({Parameter})";
}

/// <summary>Where the resource named in a request is found.</summary>
internal enum ResourceSource
{
    /// <summary>An experiment id (<c>experiment_id</c>, or several <c>experiment_ids</c>).</summary>
    ExperimentId,

    /// <summary>An experiment name (<c>experiment_name</c>).</summary>
    ExperimentName,

    /// <summary>A run id (<c>run_id</c> or <c>run_uuid</c>, or several <c>run_ids</c>): its experiment's permission applies.</summary>
    RunId,

    /// <summary>A registered model's name (<c>name</c>): versions and aliases inherit.</summary>
    ModelName,

    /// <summary>A proxied artifact path (<c>{**path}</c> or <c>path</c>): its first segment is the experiment id.</summary>
    ArtifactPath,
}

/// <summary>MLflow's permission check: the caller's level on the experiment or registered model the request names must reach <paramref name="Level"/>.</summary>
internal sealed record PermissionPolicy(PermissionLevel Level, ResourceSource Source, string? Parameter = null) : RoutePolicy
{
    public override string Describe() => $"{Level.Name()} on {Source}";
}

/// <summary>Where an environment-governed resource's name is found in a request.</summary>
/// <param name="Kind">The kind of resource.</param>
/// <param name="Parameter">The route value, query or body field holding its name.</param>
/// <param name="Lookup">How to get from the parameter to the resource's name when it is not the name (an alert rule to its endpoint, a pipeline run to its pipeline).</param>
internal sealed record GovernedName(GovernedResource Kind, string Parameter, GovernedLookup Lookup = GovernedLookup.Direct);

/// <summary>How a request's parameter leads to a governed resource.</summary>
internal enum GovernedLookup
{
    /// <summary>The parameter is the resource's name.</summary>
    Direct,

    /// <summary>The parameter names an alert rule; its endpoint is the resource.</summary>
    AlertRule,

    /// <summary>The parameter is an alert's id; its rule's endpoint is the resource.</summary>
    AlertId,

    /// <summary>The parameter is a pipeline run's id; its pipeline is the resource.</summary>
    PipelineRun,

    /// <summary>The parameter is a pipeline definition (YAML or JSON); the <c>name</c> it declares is the resource.</summary>
    PipelineDefinition,

    /// <summary>The parameter is the environment itself (creating an endpoint in it); absent means the default environment.</summary>
    EnvironmentName,

    /// <summary>The parameter is a dataset URI (<c>datasets:/NAME@ALIAS</c>); its dataset is the resource.</summary>
    DatasetUri,
}

/// <summary>An environment role check: the caller's role in the environment the resource belongs to must reach <paramref name="Role"/>.</summary>
internal sealed record RolePolicy(EnvironmentRole Role, GovernedName Resource) : RoutePolicy
{
    public override string Describe() => $"{Role.ToString().ToLowerInvariant()} of {Resource.Kind}";
}
