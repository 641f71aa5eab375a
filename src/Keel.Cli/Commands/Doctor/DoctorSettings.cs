using Keel.Core.Configuration;
using Keel.Hosting;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// What <c>keel doctor</c> looks at, from its options, else the variables the other commands read.
/// Each value keeps where it came from, so a fix can name the option or variable to change.
/// </summary>
internal sealed record DoctorSettings
{
    /// <summary>The variable <c>keel server</c> reads the backend store URI from when <c>--backend-store-uri</c> is not given.</summary>
    public const string BackendStoreVariable = KeelEnvironment.BackendStoreUri;

    public string? DataDirOption { get; init; }

    public string? TrackingUriOption { get; init; }

    public string? BackendStoreOption { get; init; }

    public string? ArtifactsDestinationOption { get; init; }

    public string? DefaultArtifactRootOption { get; init; }

    public string? OnlineStoreOption { get; init; }

    /// <summary>What this keel did with its config file; null when the command line did not read one (tests).</summary>
    public Keel.Cli.Infrastructure.ConfigFileState? Config { get; init; }

    /// <summary>Seconds each store or server gets to answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The data directory and where it came from; throws (naming the variable) when KEEL_DATA_DIR is no path.</summary>
    public (string Dir, string Source) DataDir() =>
        DataDirOption is { Length: > 0 } ? (DataDirectory.Resolve(DataDirOption), "--data-dir")
        : KeelEnvironment.Text(KeelEnvironment.DataDir) is not null ? (DataDirectory.Resolve(null), KeelEnvironment.Source(KeelEnvironment.DataDir))
        : (DataDirectory.Resolve(null), "the default (~/.keel)");

    /// <summary>The tracking URI and where it came from (option, KEEL_TRACKING_URI, MLFLOW_TRACKING_URI); null when none is set.</summary>
    public (string Uri, string Source)? TrackingUri()
    {
        var uri = Keel.Client.TrackingUri.Resolve(TrackingUriOption, out var variable);
        return uri is null ? null : (uri, variable ?? "--tracking-uri");
    }

    /// <summary>
    /// The backend store: <c>--backend-store-uri</c>, else KEEL_BACKEND_STORE_URI, else a tracking URI
    /// that names a database rather than a server; null for the data directory's own SQLite file.
    /// </summary>
    public (string Uri, string Source)? BackendStore()
    {
        if (BackendStoreOption is { Length: > 0 } option)
        {
            return (option, "--backend-store-uri");
        }

        if (KeelEnvironment.Text(BackendStoreVariable) is { } fromEnvironment)
        {
            return (fromEnvironment, KeelEnvironment.Source(BackendStoreVariable));
        }

        return TrackingUri() is { } tracking && !Keel.Client.TrackingUri.IsRemote(tracking.Uri, out _) ? tracking : null;
    }

    /// <summary>The online store URI and its source; null for the data directory's online.db.</summary>
    public (string Uri, string Source)? OnlineStore() =>
        OnlineStoreOption is { Length: > 0 } option ? (option, OnlineStoreBackend.Option)
        : KeelEnvironment.Text(KeelEnvironment.OnlineStore) is { } fromEnvironment ? (fromEnvironment, KeelEnvironment.Source(KeelEnvironment.OnlineStore))
        : null;
}
