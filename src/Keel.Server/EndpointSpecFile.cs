using System.Text.Json;
using Keel.Application;
using Keel.Core.Errors;
using Endpoint = Keel.Core.Serving.Endpoint;
using Keel.Core.Wire;

namespace Keel.Server;

/// <summary>
/// <c>keel server --endpoint-spec FILE</c>: an endpoint declared in a file (the pinned spec
/// <c>keel deploy kubernetes</c> puts in the ConfigMap), read and checked when the server is built
/// and applied (<see cref="ServingService.ApplyAsync"/>) once it starts, before it listens. A spec
/// that cannot be read or applied stops the server, so a pod never serves something else.
/// </summary>
internal sealed class EndpointSpecFile(Endpoint spec, ServingService serving, ILogger<EndpointSpecFile> log) : IHostedService
{
    public const string Option = "--endpoint-spec";

    /// <summary>The endpoint the file declares.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option, the file and what is wrong.</exception>
    public static Endpoint Read(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return JsonSerializer.Deserialize(bytes, ServingJson.Default.Endpoint)
                ?? throw KeelException.InvalidParameter($"{Option} {path}: the file holds no endpoint spec.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException or NotSupportedException)
        {
            throw KeelException.InvalidParameter($"{Option} {path}: not a readable endpoint spec ({e.Message}).");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await serving.ApplyAsync(spec, "keel-deploy", cancellationToken).ConfigureAwait(false);
            log.LogInformation("Endpoint {Endpoint} is at revision {Version} as declared by {Option}", applied.Name, applied.Version, Option);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
            // A rollout owns the traffic until it ends; a replica added meanwhile (a scale-up) joins
            // it as stored instead of failing, and the spec is applied at the next start.
            log.LogWarning("{Option}: endpoint {Endpoint} was left as stored: {Reason}", Option, spec.Name, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
