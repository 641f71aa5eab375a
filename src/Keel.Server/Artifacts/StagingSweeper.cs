using Keel.Artifacts;

namespace Keel.Server.Artifacts;

/// <summary>
/// Removes uploads a killed process left in the artifact store's staging directory: at start-up and
/// then every <see cref="Interval"/>, any staged file not written to for <see cref="StaleAfter"/>.
/// A live upload keeps writing its file, so a replica sharing the store never loses one in flight.
/// </summary>
internal sealed class StagingSweeper(LocalArtifactStore store, ILogger<StagingSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                var removed = store.DeleteStaleUploads(StaleAfter);
                if (removed > 0)
                {
                    logger.LogInformation("Removed {Count} abandoned artifact upload(s) from the staging directory", removed);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
