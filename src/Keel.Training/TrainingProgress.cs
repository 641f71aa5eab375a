namespace Keel.Training;

/// <summary>A snapshot of a running search, for progress displays.</summary>
/// <param name="Phase">What is happening: loading, featurizing, searching, evaluating, logging, done.</param>
/// <param name="TrialsDone">Trials that have finished (completed, pruned or stopped).</param>
/// <param name="TrialsPlanned">Trials drawn, when the search is bounded by a trial count.</param>
/// <param name="BestScore">Best full-budget score so far, if any.</param>
/// <param name="Metric">The metric optimised.</param>
/// <param name="Elapsed">Time since the search started.</param>
/// <param name="TimeLeft">Time left of the budget, when there is one.</param>
public sealed record TrainingProgress(string Phase, int TrialsDone, int? TrialsPlanned, double? BestScore, string Metric, TimeSpan Elapsed, TimeSpan? TimeLeft);
