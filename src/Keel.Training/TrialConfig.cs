namespace Keel.Training;

/// <summary>One point of the search: a trainer family and its hyperparameters, drawn from the seed.</summary>
internal sealed record TrialConfig(int Index, string Trainer, IReadOnlyDictionary<string, double> Hyperparameters, int Seed);
