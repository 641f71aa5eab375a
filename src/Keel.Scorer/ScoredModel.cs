using Keel.ML;

namespace Keel.Scorer;

/// <summary>The one model this process serves, loaded once at start.</summary>
internal sealed record ScoredModel(string Name, string Version, IModel Model);
