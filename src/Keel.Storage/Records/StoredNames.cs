using Keel.Core.Registry;
using Keel.Core.Serving;

namespace Keel.Storage.Records;

/// <summary>
/// The names enums are stored under, spelled out here rather than borrowed from the API's JSON
/// attributes or from C# member names, so neither an API change nor a rename alters stored data.
/// </summary>
internal static class StoredNames
{
    private static readonly Dictionary<EndpointMode, string> Modes = new()
    {
        [EndpointMode.Single] = "single",
        [EndpointMode.Canary] = "canary",
        [EndpointMode.AbTest] = "ab_test",
        [EndpointMode.Shadow] = "shadow",
        [EndpointMode.BlueGreen] = "blue_green",
    };

    private static readonly Dictionary<RouteRole, string> Roles = new()
    {
        [RouteRole.Primary] = "primary",
        [RouteRole.Challenger] = "challenger",
        [RouteRole.Shadow] = "shadow",
        [RouteRole.Standby] = "standby",
    };

    private static readonly Dictionary<RolloutState, string> States = new()
    {
        [RolloutState.Running] = "running",
        [RolloutState.Promoted] = "promoted",
        [RolloutState.RolledBack] = "rolled_back",
        [RolloutState.Aborted] = "aborted",
    };

    private static readonly Dictionary<ModelStage, string> Stages = new()
    {
        [ModelStage.None] = "None",
        [ModelStage.Staging] = "Staging",
        [ModelStage.Production] = "Production",
        [ModelStage.Archived] = "Archived",
    };

    private static readonly Dictionary<ModelVersionStatus, string> Statuses = new()
    {
        [ModelVersionStatus.PendingRegistration] = "PENDING_REGISTRATION",
        [ModelVersionStatus.FailedRegistration] = "FAILED_REGISTRATION",
        [ModelVersionStatus.Ready] = "READY",
    };

    private static readonly Dictionary<SensitiveColumnMode, string> SensitiveModes = new()
    {
        [SensitiveColumnMode.Mask] = "mask",
        [SensitiveColumnMode.Hash] = "hash",
        [SensitiveColumnMode.Drop] = "drop",
    };

    public static string Of(SensitiveColumnMode value) => SensitiveModes[value];

    public static SensitiveColumnMode Sensitive(string name) => Find(SensitiveModes, name, "sensitive column mode");

    public static string Of(EndpointMode value) => Modes[value];

    public static string Of(RouteRole value) => Roles[value];

    public static string Of(RolloutState value) => States[value];

    public static string Of(ModelStage value) => Stages[value];

    public static string Of(ModelVersionStatus value) => Statuses[value];

    public static EndpointMode Mode(string name) => Find(Modes, name, "endpoint mode");

    public static RouteRole Role(string name) => Find(Roles, name, "route role");

    public static RolloutState State(string name) => Find(States, name, "rollout state");

    public static ModelStage Stage(string name) => Find(Stages, name, "model stage");

    public static ModelVersionStatus Status(string name) => Find(Statuses, name, "model version status");

    private static T Find<T>(Dictionary<T, string> names, string name, string what)
        where T : struct, Enum
    {
        foreach (var (value, stored) in names)
        {
            if (stored == name)
            {
                return value;
            }
        }

        throw SchemaVersions.Corrupt(what, $"unknown value '{name}'", null);
    }
}
