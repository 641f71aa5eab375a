namespace Keel.Scorer;

/// <summary>What the scorer serves and where it listens.</summary>
/// <param name="ModelDirectory">A model directory with its MLmodel file.</param>
/// <param name="Name">The model name in V2 routes (<c>/v2/models/{name}/infer</c>).</param>
/// <param name="Version">The version it answers with (<c>model_version</c>, <c>x-keel-model-version</c>).</param>
/// <param name="Host">Address to listen on.</param>
/// <param name="Port">Port to listen on.</param>
internal sealed record ScorerOptions(string ModelDirectory, string Name, string Version, string Host, int Port);
