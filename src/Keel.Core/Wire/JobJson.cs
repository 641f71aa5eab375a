using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the job queue API (stores keep jobs in their own columns).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    Converters = [typeof(FiniteDoubleConverter)])]
[JsonSerializable(typeof(JobDto))]
[JsonSerializable(typeof(EnqueueJobRequest))]
[JsonSerializable(typeof(LeaseJobRequest))]
[JsonSerializable(typeof(LeaseJobResponse))]
[JsonSerializable(typeof(JobLeaseRequest))]
[JsonSerializable(typeof(CancelJobRequest))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(ListJobsResponse))]
public sealed partial class JobJson : JsonSerializerContext
{
}
