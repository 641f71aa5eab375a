namespace Keel.Core.Serving;

/// <summary>One audit event of an endpoint: who changed what, with the endpoint as it became.</summary>
/// <param name="Id">Increasing event id.</param>
/// <param name="Timestamp">When, Unix milliseconds.</param>
/// <param name="Actor">Who, when known (the <c>X-Keel-User</c> header); null for the rollout controller.</param>
/// <param name="Action">What, e.g. <c>endpoint.create</c>, <c>rollout.step</c>, <c>rollout.rollback</c>.</param>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Detail">Free-text detail, e.g. the model URI or the reason.</param>
public sealed record ServingEvent(long Id, long Timestamp, string? Actor, string Action, string Endpoint, string? Detail);
