namespace Keel.Core.Tracking;

/// <summary>Soft-delete state of experiments and runs. Wire names are "active" and "deleted".</summary>
public enum LifecycleStage
{
    /// <summary>Visible and writable.</summary>
    Active,
    /// <summary>Soft-deleted: hidden from default searches, refuses writes, can be restored.</summary>
    Deleted,
}

/// <summary>Wire names of <see cref="LifecycleStage"/> and matching against a <see cref="ViewType"/>.</summary>
public static class LifecycleStages
{
    /// <summary>The wire name: <c>active</c> or <c>deleted</c>.</summary>
    /// <param name="stage">The stage.</param>
    public static string ToWire(this LifecycleStage stage) => stage == LifecycleStage.Active ? "active" : "deleted";

    /// <summary>Parses a stored wire name.</summary>
    /// <param name="value"><c>active</c> or <c>deleted</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">For any other value (a corrupt row, not user input).</exception>
    public static LifecycleStage Parse(string value) => value switch
    {
        "active" => LifecycleStage.Active,
        "deleted" => LifecycleStage.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown lifecycle stage"),
    };

    /// <summary>True when a search with <paramref name="view"/> returns an entity in <paramref name="stage"/>.</summary>
    /// <param name="stage">The entity's stage.</param>
    /// <param name="view">The search's view type.</param>
    public static bool Matches(this LifecycleStage stage, ViewType view) => view switch
    {
        ViewType.ActiveOnly => stage == LifecycleStage.Active,
        ViewType.DeletedOnly => stage == LifecycleStage.Deleted,
        _ => true,
    };
}
