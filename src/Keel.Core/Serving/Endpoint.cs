using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>
/// A named model endpoint in an environment: its routes (model URIs with traffic shares), the mode
/// that splits traffic between them, the limits a rollout must respect, its guard rails, and the
/// current or last rollout with the ones before it.
/// </summary>
/// <param name="Name">Unique endpoint name; part of its URLs (<c>/v2/models/{name}/infer</c>).</param>
/// <param name="Environment">dev, staging or prod.</param>
/// <param name="Mode">How traffic is split between the routes.</param>
/// <param name="Routes">The model versions behind the endpoint; exactly one is the primary.</param>
/// <param name="Policy">Limits a challenger is judged against during a rollout.</param>
/// <param name="Limits">Guard rails: concurrency, batch size, time per request.</param>
/// <param name="StickyKey">For A/B: <c>header:NAME</c> or <c>field:NAME</c>, the request key that pins a caller to a variant.</param>
/// <param name="Rollout">The rollout in progress, or the last one.</param>
/// <param name="PastRollouts">Earlier rollouts, newest last (bounded).</param>
/// <param name="CreatedAt">Creation time, Unix milliseconds.</param>
/// <param name="UpdatedAt">Time of the last change, Unix milliseconds.</param>
public sealed record Endpoint(
    string Name,
    string Environment,
    EndpointMode Mode,
    IReadOnlyList<Route> Routes,
    RolloutPolicy Policy,
    EndpointLimits Limits,
    string? StickyKey,
    Rollout? Rollout,
    IReadOnlyList<Rollout> PastRollouts,
    long CreatedAt,
    long UpdatedAt)
{
    /// <summary>Past rollouts kept on the endpoint; the audit trail keeps everything.</summary>
    public const int MaxPastRollouts = 20;

    /// <summary>
    /// The endpoint's revision: 1 when created, one more with each stored change. An update names the
    /// revision it was made from (optimistic concurrency), and a replica compares it with the revision
    /// it serves to tell whether it is behind.
    /// </summary>
    public long Version { get; init; } = 1;

    /// <summary>
    /// Columns of the requests that the prediction log must not keep as sent: column name → mask, hash or
    /// drop. Null or empty: the log keeps every input as it came. Inference is unaffected.
    /// </summary>
    public IReadOnlyDictionary<string, SensitiveColumnMode>? SensitiveColumns { get; init; }

    /// <summary>Features read online and added to each request row before scoring; null: none.</summary>
    public EndpointFeatures? Features { get; init; }

    /// <summary>The champion (primary) route.</summary>
    [JsonIgnore]
    public Route Primary => Routes.First(r => r.Role == RouteRole.Primary);

    /// <summary>True while a progressive rollout is running.</summary>
    [JsonIgnore]
    public bool IsRollingOut => Rollout is { State: RolloutState.Running };

    /// <summary>Replaces the current rollout, moving a finished previous one into the history.</summary>
    public Endpoint WithNewRollout(Rollout rollout)
    {
        var past = Rollout is null ? PastRollouts : [.. PastRollouts.TakeLast(MaxPastRollouts - 1), Rollout];
        return this with { Rollout = rollout, PastRollouts = past };
    }
}
