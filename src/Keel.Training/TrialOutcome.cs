using Microsoft.ML;

namespace Keel.Training;

/// <summary>What one trial produced at one rung: its score, per-fold predictions and (holdout) the fitted model.</summary>
internal sealed record TrialOutcome(TrialConfig Config, int Rung, double Resource, double Score, IReadOnlyList<EvalSet> FoldSets, ITransformer? Model, double TrainSeconds);
