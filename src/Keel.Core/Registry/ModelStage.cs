using Keel.Core.Errors;

namespace Keel.Core.Registry;

/// <summary>Model-version stage (deprecated by MLflow in favour of aliases, still used by clients).</summary>
public enum ModelStage
{
    None,
    Staging,
    Production,
    Archived,
}

/// <summary>
/// The stage transition table. Every stage may move to every other (MLflow's rule); moving to the
/// stage a version is already in is refused, so a client learns its request changed nothing.
/// </summary>
public static class ModelStages
{
    private static readonly Dictionary<ModelStage, ModelStage[]> Allowed = new()
    {
        [ModelStage.None] = [ModelStage.Staging, ModelStage.Production, ModelStage.Archived],
        [ModelStage.Staging] = [ModelStage.None, ModelStage.Production, ModelStage.Archived],
        [ModelStage.Production] = [ModelStage.None, ModelStage.Staging, ModelStage.Archived],
        [ModelStage.Archived] = [ModelStage.None, ModelStage.Staging, ModelStage.Production],
    };

    public static bool CanMoveTo(this ModelStage from, ModelStage to) => Allowed[from].Contains(to);

    public static void EnsureCanMoveTo(this ModelStage from, ModelStage to, string name, string version)
    {
        if (!from.CanMoveTo(to))
        {
            throw KeelException.InvalidParameter(
                $"Model version {name} version {version} is already in stage '{from.ToWire()}'.");
        }
    }

    public static string ToWire(this ModelStage stage) => stage.ToString();

    /// <summary>Parses a stage name case-insensitively, as MLflow's transition-stage does.</summary>
    public static bool TryParse(string? value, out ModelStage stage)
    {
        foreach (var s in Enum.GetValues<ModelStage>())
        {
            if (string.Equals(s.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                stage = s;
                return true;
            }
        }

        stage = default;
        return false;
    }

    public static ModelStage Parse(string? value) => TryParse(value, out var s)
        ? s
        : throw KeelException.InvalidParameter(
            $"Invalid Model Version stage: {value}. Value must be one of None, Staging, Production, Archived.");
}
