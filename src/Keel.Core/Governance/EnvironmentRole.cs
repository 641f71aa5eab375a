namespace Keel.Core.Governance;

/// <summary>
/// What a user or group may do in one environment (dev, staging, prod) to the resources that belong
/// to it: endpoints, model aliases, pipelines, datasets and alert rules. Ordered: each role includes
/// the ones below it.
/// </summary>
public enum EnvironmentRole
{
    /// <summary>No role: nothing in the environment.</summary>
    None = 0,

    /// <summary>Reads, and calls the environment's endpoints.</summary>
    Viewer = 1,

    /// <summary>Also creates and changes definitions: datasets, pipelines, alert rules, endpoint settings.</summary>
    Editor = 2,

    /// <summary>Also deploys: rollouts, traffic, promotion, alias moves, running pipelines; may approve others' requests.</summary>
    Deployer = 3,

    /// <summary>Everything in the environment, deletes included.</summary>
    Admin = 4,
}
