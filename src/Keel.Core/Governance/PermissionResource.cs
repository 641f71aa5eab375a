namespace Keel.Core.Governance;

/// <summary>The two kinds of resource MLflow's permissions attach to.</summary>
public enum PermissionResource
{
    /// <summary>An experiment, by id; its runs inherit.</summary>
    Experiment,

    /// <summary>A registered model, by name; its versions and aliases inherit.</summary>
    RegisteredModel,
}
