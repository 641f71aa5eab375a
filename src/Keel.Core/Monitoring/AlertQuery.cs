namespace Keel.Core.Monitoring;

/// <summary>Which alerts to list, newest first.</summary>
/// <param name="Endpoint">Only this endpoint's, or null.</param>
/// <param name="State">Only alerts in this state, or null.</param>
/// <param name="Rule">Only this rule's, or null.</param>
/// <param name="MaxResults">The most to return.</param>
public sealed record AlertQuery(string? Endpoint, AlertState? State, string? Rule, int MaxResults);
