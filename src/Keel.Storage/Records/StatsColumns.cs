using System.Text.Json;
using Keel.Core.Serving;

namespace Keel.Storage.Records;

/// <summary>How a <see cref="RouteStepStats"/> row's arrays are stored (JSON arrays of numbers), for every backend.</summary>
internal static class StatsColumns
{
    public static string Latency(RouteStepStats stats) => JsonSerializer.Serialize(stats.LatencyBuckets.ToArray(), StorageJson.Default.Int64Array);

    public static string Samples(RouteStepStats stats) =>
        JsonSerializer.Serialize(stats.Samples.Take(RouteStepStats.MaxSamples).ToArray(), StorageJson.Default.DoubleArray);

    public static RouteStepStats Read(
        string endpoint, string rolloutId, int stepIndex, string modelUri, string role, string replica, long requests, long errors, string latency, string samples, long updatedAt) =>
        new(
            endpoint, rolloutId, stepIndex, modelUri, StoredNames.Role(role), replica, requests, errors,
            JsonSerializer.Deserialize(latency, StorageJson.Default.Int64Array) ?? [],
            JsonSerializer.Deserialize(samples, StorageJson.Default.DoubleArray) ?? [],
            updatedAt);
}
