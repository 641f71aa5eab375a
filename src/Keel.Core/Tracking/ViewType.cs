namespace Keel.Core.Tracking;

/// <summary>Which lifecycle stages a search returns (MLflow's ViewType; wire values 1, 2, 3 or their names).</summary>
public enum ViewType
{
    ActiveOnly = 1,
    DeletedOnly = 2,
    All = 3,
}
