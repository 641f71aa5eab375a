namespace Keel.Application.Pipelines;

/// <summary>An input pinned to what it names now.</summary>
/// <param name="Value">The immutable value the step reads (e.g. <c>datasets:/d/4</c> for <c>datasets:/d@latest</c>).</param>
/// <param name="Identity">What decides its content, for the cache key (a dataset version with its manifest digest, a file's content hash).</param>
public sealed record ResolvedInput(string Value, string Identity);
