namespace Keel.Compute.Gates;

/// <summary>
/// Everything the gate judges: one frozen evaluation set (labels, optional slice and sensitive
/// columns, one value per row) scored by both models, and the policy. The gate computes every metric
/// itself from the predictions, so the champion and the challenger are measured the same way.
/// </summary>
public sealed record GateInputs
{
    /// <summary>The policy to apply.</summary>
    public required GatePolicy Policy { get; init; }

    /// <summary>Binary, multiclass or regression.</summary>
    public required GateTask Task { get; init; }

    /// <summary>Per row: 0 or 1 (binary), a class index (multiclass), a value (regression).</summary>
    public required IReadOnlyList<double> Labels { get; init; }

    /// <summary>The challenger's predictions: the positive probability per row (binary), row-major class probabilities (multiclass), values (regression).</summary>
    public required IReadOnlyList<double> ChallengerPredictions { get; init; }

    /// <summary>The champion's predictions, shaped as the challenger's; null when there is no champion (the first model).</summary>
    public IReadOnlyList<double>? ChampionPredictions { get; init; }

    /// <summary>Multiclass class names in index order (metric keys class_{name}_*); null names them by index.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Slice columns by name, one value per row.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SliceColumns { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Sensitive columns by name, one group per row, for the fairness limits.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SensitiveColumns { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The challenger's measured scoring latencies in milliseconds (per row or per batch).</summary>
    public IReadOnlyList<double>? ChallengerLatenciesMs { get; init; }

    /// <summary>The champion's measured latencies, reported beside the challenger's; optional.</summary>
    public IReadOnlyList<double>? ChampionLatenciesMs { get; init; }

    /// <summary>Challenger metrics the gate cannot compute from predictions (model size, cost, ...). A name the gate computes is refused.</summary>
    public IReadOnlyDictionary<string, double> ChallengerMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Champion metrics the gate cannot compute from predictions.</summary>
    public IReadOnlyDictionary<string, double> ChampionMetrics { get; init; } = new Dictionary<string, double>();
}
