using System.Diagnostics.CodeAnalysis;

namespace Keel.Core.Governance;

/// <summary>MLflow's wire names of <see cref="PermissionLevel"/> and the checks its auth app makes.</summary>
public static class PermissionLevels
{
    /// <summary>The wire names, in MLflow's spelling.</summary>
    public static readonly IReadOnlyList<string> Names = ["READ", "EDIT", "MANAGE", "NO_PERMISSIONS"];

    /// <summary>The wire name of a level.</summary>
    public static string Name(this PermissionLevel level) => level switch
    {
        PermissionLevel.Read => "READ",
        PermissionLevel.Edit => "EDIT",
        PermissionLevel.Manage => "MANAGE",
        _ => "NO_PERMISSIONS",
    };

    /// <summary>Parses a wire name (case-sensitive, as MLflow).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out PermissionLevel? level)
    {
        level = name switch
        {
            "READ" => PermissionLevel.Read,
            "EDIT" => PermissionLevel.Edit,
            "MANAGE" => PermissionLevel.Manage,
            "NO_PERMISSIONS" => PermissionLevel.NoPermissions,
            _ => null,
        };
        return level is not null;
    }

    /// <summary>May read (<c>can_read</c>).</summary>
    public static bool CanRead(this PermissionLevel level) => level >= PermissionLevel.Read;

    /// <summary>May change (<c>can_update</c>).</summary>
    public static bool CanUpdate(this PermissionLevel level) => level >= PermissionLevel.Edit;

    /// <summary>May delete (<c>can_delete</c>).</summary>
    public static bool CanDelete(this PermissionLevel level) => level >= PermissionLevel.Manage;

    /// <summary>May grant permissions (<c>can_manage</c>).</summary>
    public static bool CanManage(this PermissionLevel level) => level >= PermissionLevel.Manage;
}
