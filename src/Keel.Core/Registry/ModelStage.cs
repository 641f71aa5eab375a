using Keel.Core.Errors;

namespace Keel.Core.Registry;

/// <summary>Model-version stage (deprecated by MLflow in favour of aliases, still used by clients).</summary>
public enum ModelStage
{
    /// <summary>No stage: a new version.</summary>
    None,
    /// <summary>Under evaluation.</summary>
    Staging,
    /// <summary>Serving production traffic.</summary>
    Production,
    /// <summary>Retired.</summary>
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

    /// <summary>True when the table allows the move (any other stage).</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="to">The requested stage.</param>
    public static bool CanMoveTo(this ModelStage from, ModelStage to) => Allowed[from].Contains(to);

    /// <summary>Throws INVALID_PARAMETER_VALUE, in MLflow's wording, when the version is already in <paramref name="to"/>.</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="to">The requested stage.</param>
    /// <param name="name">The model name, for the message.</param>
    /// <param name="version">The version, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when the move is refused.</exception>
    public static void EnsureCanMoveTo(this ModelStage from, ModelStage to, string name, string version)
    {
        if (!from.CanMoveTo(to))
        {
            throw KeelException.InvalidParameter(
                $"Model version {name} version {version} is already in stage '{from.ToWire()}'.");
        }
    }

    /// <summary>The wire name: <c>None</c>, <c>Staging</c>, <c>Production</c> or <c>Archived</c>.</summary>
    /// <param name="stage">The stage.</param>
    public static string ToWire(this ModelStage stage) => stage.ToString();

    /// <summary>Parses a stage name case-insensitively, as MLflow's transition-stage does.</summary>
    /// <param name="value">The name.</param>
    /// <param name="stage">The stage when parsed; None otherwise.</param>
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

    /// <summary>Parses a stage name case-insensitively.</summary>
    /// <param name="value">The name.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the valid stages.</exception>
    public static ModelStage Parse(string? value) => TryParse(value, out var s)
        ? s
        : throw KeelException.InvalidParameter(
            $"Invalid Model Version stage: {value}. Value must be one of None, Staging, Production, Archived.");
}
