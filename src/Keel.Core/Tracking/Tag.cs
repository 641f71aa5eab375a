namespace Keel.Core.Tracking;

/// <summary>A key/value tag: experiment tags, run tags and dataset input tags share this shape.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
public sealed record Tag(string Key, string Value);
