using Keel.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Keel.Server;

/// <summary>Keeps a running server's <see cref="ServerRecord"/> in its data directory.</summary>
public static class ServerRecordAttachment
{
    /// <summary>Records <paramref name="app"/>'s address in <paramref name="dataDir"/> once it listens; removes it when it stops.</summary>
    /// <param name="app">The server.</param>
    /// <param name="dataDir">Its data directory.</param>
    public static void Attach(WebApplication app, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null)
            {
                new ServerRecord(ServerRecord.Reachable(new Uri(address)), Environment.ProcessId).Write(dataDir);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() => ServerRecord.RemoveOwn(dataDir));
    }
}
