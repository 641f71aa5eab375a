namespace Keel.Core.Tracking;

/// <summary>Which lifecycle stages a search returns (MLflow's ViewType; wire values 1, 2, 3 or their names).</summary>
public enum ViewType
{
    /// <summary>Active entities only (the default).</summary>
    ActiveOnly = 1,
    /// <summary>Deleted entities only.</summary>
    DeletedOnly = 2,
    /// <summary>Both.</summary>
    All = 3,
}
