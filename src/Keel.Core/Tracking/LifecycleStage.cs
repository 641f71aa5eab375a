namespace Keel.Core.Tracking;

/// <summary>Soft-delete state of experiments and runs. Wire names are "active" and "deleted".</summary>
public enum LifecycleStage
{
    Active,
    Deleted,
}

public static class LifecycleStages
{
    public static string ToWire(this LifecycleStage stage) => stage == LifecycleStage.Active ? "active" : "deleted";

    public static LifecycleStage Parse(string value) => value switch
    {
        "active" => LifecycleStage.Active,
        "deleted" => LifecycleStage.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown lifecycle stage"),
    };

    public static bool Matches(this LifecycleStage stage, ViewType view) => view switch
    {
        ViewType.ActiveOnly => stage == LifecycleStage.Active,
        ViewType.DeletedOnly => stage == LifecycleStage.Deleted,
        _ => true,
    };
}
