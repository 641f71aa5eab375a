namespace Keel.Core.Governance;

/// <summary>The kinds of resource that belong to an environment.</summary>
public enum GovernedResource
{
    /// <summary>A serving endpoint, by name; its monitoring and alert rules follow it.</summary>
    Endpoint,

    /// <summary>A registered model's alias, as <c>MODEL@ALIAS</c>; <c>*@ALIAS</c> for that alias on every model.</summary>
    ModelAlias,

    /// <summary>A pipeline, by name.</summary>
    Pipeline,

    /// <summary>A dataset, by name.</summary>
    Dataset,
}
