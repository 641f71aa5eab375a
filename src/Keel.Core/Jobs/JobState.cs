using System.Text.Json.Serialization;

namespace Keel.Core.Jobs;

/// <summary>Where a queued job is in its life (transitions: <see cref="JobStateTransitions"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    /// <summary>Waiting to be leased once its not-before time has passed (new, retried or released).</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,

    /// <summary>Held by a worker until its lease expires; an expired lease makes it leasable again.</summary>
    [JsonStringEnumMemberName("leased")]
    Leased,

    /// <summary>Completed by the lease holder, with its result. Final.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Failed (or lost its lease) on its last allowed attempt: the dead-letter state. Final.</summary>
    [JsonStringEnumMemberName("dead")]
    Dead,

    /// <summary>Cancelled before it finished; a holder's later complete or fail is refused. Final.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
