namespace Keel.Core.Serving;

/// <summary>One audit event of an endpoint: who changed what, with the endpoint as it became.</summary>
public sealed record ServingEvent(long Id, long Timestamp, string? Actor, string Action, string Endpoint, string? Detail);
