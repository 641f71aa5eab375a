namespace Keel.Core.Tracking;

/// <summary>A run parameter. Immutable once logged: the same key may be logged again only with the same value.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value, as text.</param>
public sealed record Param(string Key, string Value);
