namespace Keel.Training;

/// <summary>One trial of a search as logged in its child run.</summary>
/// <param name="Index">Position in the seeded trial list.</param>
/// <param name="RunId">The child run.</param>
/// <param name="Trainer">Trainer family.</param>
/// <param name="Hyperparameters">Drawn hyperparameters (before rung scaling).</param>
/// <param name="State">completed (ran at full budget), pruned (stopped by successive halving) or stopped (time budget ran out).</param>
/// <param name="Rung">Last rung reached (0-based).</param>
/// <param name="Score">Score at that rung.</param>
/// <param name="TrainSeconds">Time spent fitting trainers, all rungs.</param>
/// <param name="TotalSeconds">Time spent on the trial in all (fitting, scoring, tracking).</param>
public sealed record TrialSummary(int Index, string RunId, string Trainer, IReadOnlyDictionary<string, double> Hyperparameters, string State, int Rung, double Score, double TrainSeconds, double TotalSeconds);
