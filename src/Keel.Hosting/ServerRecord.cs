using System.Diagnostics;
using System.Text.Json;

namespace Keel.Hosting;

/// <summary>
/// Where a running <c>keel server</c> can be reached, recorded in its data directory
/// (<c>server.json</c>: url and pid) while it serves that directory's database. A CLI command on the
/// same directory would find the database held by the server; with this record it goes through the
/// server instead. Written atomically once the server listens, removed on a clean shutdown, and
/// ignored when stale: the process is gone or <c>/health</c> does not answer.
/// </summary>
/// <param name="Url">The server's base URL, as a local client reaches it.</param>
/// <param name="ProcessId">The server's process id.</param>
public sealed record ServerRecord(Uri Url, int ProcessId)
{
    /// <summary>The record's file name in the data directory.</summary>
    public const string FileName = "server.json";

    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The record's path in <paramref name="dataDir"/>.</summary>
    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    /// <summary>
    /// The live server recorded in <paramref name="dataDir"/>, or null: no record, an unreadable one,
    /// a process that is gone, or a server that does not answer <c>/health</c>.
    /// </summary>
    public static async Task<ServerRecord?> FindLiveAsync(string dataDir, CancellationToken cancellationToken = default)
    {
        var record = Read(dataDir);
        if (record is null || !IsRunning(record.ProcessId))
        {
            return null;
        }

        using var http = new HttpClient { Timeout = HealthTimeout };
        try
        {
            var body = await http.GetStringAsync(new Uri(record.Url, "/health"), cancellationToken).ConfigureAwait(false);
            return body == "OK" ? record : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The server recorded in <paramref name="dataDir"/> whose process still runs, or null; unlike
    /// <see cref="FindLiveAsync"/> it does not ask the server (<c>keel doctor</c> asks it itself, and
    /// says so when it does not answer).
    /// </summary>
    /// <param name="dataDir">The data directory.</param>
    public static ServerRecord? FindRunning(string dataDir) =>
        Read(dataDir) is { } record && IsRunning(record.ProcessId) ? record : null;

    /// <summary>Writes the record: a reader sees the old file or the whole new one.</summary>
    /// <param name="dataDir">The data directory.</param>
    public void Write(string dataDir)
    {
        var path = PathIn(dataDir);
        var temporary = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, object> { ["url"] = Url.ToString(), ["pid"] = ProcessId }));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the record if this process wrote it (a newer server's record stays).</summary>
    /// <param name="dataDir">The data directory.</param>
    public static void RemoveOwn(string dataDir)
    {
        if (Read(dataDir) is { } record && record.ProcessId == Environment.ProcessId)
        {
            File.Delete(PathIn(dataDir));
        }
    }

    internal static ServerRecord? Read(string dataDir)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(PathIn(dataDir)));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && root.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var id)
                ? new ServerRecord(uri, id)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>How a local client reaches a server bound to <paramref name="bound"/>: every interface is reached on loopback, which the host filter always allows.</summary>
    /// <param name="bound">The address the server listens on.</param>
    public static Uri Reachable(Uri bound) => bound.Host switch
    {
        "0.0.0.0" or "+" or "*" => new UriBuilder(bound) { Host = "127.0.0.1" }.Uri,
        "[::]" or "::" => new UriBuilder(bound) { Host = "[::1]" }.Uri,
        _ => bound,
    };
}
