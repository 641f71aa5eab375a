using Keel.Core.Serving;
using Microsoft.Extensions.Hosting;

namespace Keel.Serving;

/// <summary>Restores stored endpoints (and their running rollouts) before the server accepts requests.</summary>
internal sealed class ServingStartup(ServingRuntime runtime, IServingStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.RestoreAsync(store, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
