using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The online feature store (<c>--online-store</c>, else KEEL_ONLINE_STORE, else the data
/// directory's <c>online.db</c>): opened the way the server opens it, and asked once (a Redis
/// PING, a SQLite read) which engine and version answer.
/// </summary>
internal static class OnlineStoreCheck
{
    public const string Name = "online-store";

    public static async Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        string dir;
        try
        {
            dir = settings.DataDir().Dir;
        }
        catch (KeelException e)
        {
            return CheckResult.Fail(Name, e.Message, "see the data-dir check");
        }

        var configured = settings.OnlineStore();
        var source = configured?.Source ?? "the data directory";
        var details = new Dictionary<string, object?> { ["source"] = source };
        var sqlitePath = configured is null ? OnlineStoreBackend.DefaultPath(dir)
            : configured.Value.Uri.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(configured.Value.Uri["sqlite://".Length..])
            : null;
        details["uri"] = sqlitePath is not null ? "sqlite:///" + sqlitePath.TrimStart('/') : Redacted(configured!.Value.Uri);
        if (sqlitePath is not null && !File.Exists(sqlitePath))
        {
            var probe = DirectoryProbe.Of(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!);
            details["exists"] = false;
            return probe.Problem is null
                ? CheckResult.Ok(Name, $"{sqlitePath}: not created yet (made by the first `keel features materialize`)", details)
                : CheckResult.Fail(Name, probe.Problem, $"make the directory writable, or set {OnlineStoreBackend.Option} / {KeelEnvironment.OnlineStore} to another store", details);
        }

        try
        {
            await using var store = await OnlineStoreBackend.OpenAsync(configured?.Uri, dir).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(settings.Timeout);
            var engine = await store.ProbeAsync(deadline.Token).ConfigureAwait(false);
            details["server_version"] = engine;
            details["reachable"] = true;
            return CheckResult.Ok(Name, $"{engine} at {store.Description} answers", details);
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            return CheckResult.Fail(Name, e.Message, $"correct {source}", details);
        }
        catch (KeelException e)
        {
            details["reachable"] = false;
            var redis = configured?.Uri.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) == true;
            var finding = redis && !e.Message.Contains("auth", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(configured!.Value.Uri, UriKind.Absolute, out var parsed)
                ? $"Redis at {parsed.Host}:{(parsed.IsDefaultPort || parsed.Port <= 0 ? 6379 : parsed.Port).ToString(System.Globalization.CultureInfo.InvariantCulture)} is unreachable (no connection within 5 s, or refused)"
                : e.Message;
            return CheckResult.Fail(Name, finding, redis
                ? $"start Redis there (`redis-cli -u <uri> ping` answers PONG when it is up) or correct {source}; a password goes in the URI or {KeelEnvironment.RedisPassword}"
                : $"stop the other process using the file, or set {source} to another store", details);
        }
    }

    // A Redis password may sit in the URI's user part.
    private static string Redacted(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.UserInfo.Length > 0
            ? uri.Replace(parsed.UserInfo + "@", "***@", StringComparison.Ordinal)
            : uri;
}
