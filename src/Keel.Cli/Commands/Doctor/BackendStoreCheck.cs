using Keel.Core.Backends;
using Keel.Core.Errors;
using Keel.Hosting;
using Keel.Storage.Postgres;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The metadata database a configuration points at (PostgreSQL, or a SQLite file outside the data
/// directory): reachable, the credentials accepted, migrated, and the engine's version.
/// </summary>
internal static class BackendStoreCheck
{
    public const string Name = "backend-store";

    public static async Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        if (settings.BackendStore() is not { } store)
        {
            return CheckResult.Skipped(Name, $"no backend store URI set (--backend-store-uri, {DoctorSettings.BackendStoreVariable}): the data directory's SQLite database is used (see data-dir)");
        }

        var redacted = KeelBackends.Registry.RedactMetadata(store.Uri);
        var details = new Dictionary<string, object?> { ["uri"] = redacted, ["source"] = store.Source };
        MetadataBackendProbe probe;
        try
        {
            probe = await KeelBackends.Registry.ProbeMetadataAsync(new MetadataBackendSettings(store.Uri, store.Source), settings.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            return CheckResult.Fail(Name, e.Message, $"correct {store.Source}", details);
        }
        catch (KeelException e)
        {
            var refused = e.InnerException is Npgsql.PostgresException { SqlState: var state } && state.StartsWith("28", StringComparison.Ordinal);
            details["reachable"] = refused;
            return CheckResult.Fail(Name, refused ? e.Message : Unreachable(store.Uri, store.Source, e), refused
                ? $"check the user and password in {store.Source} (psql \"{redacted}\" should connect)"
                : UnreachableFix(store.Uri, store.Source), details);
        }

        foreach (var (key, value) in SchemaFinding.Details(probe))
        {
            details[key] = value;
        }

        details["reachable"] = true;
        var start = $"keel server --backend-store-uri '{redacted}'";
        return SchemaFinding.Problem(probe, start) is { } problem
            ? new CheckResult(Name, problem.Status, problem.Finding, problem.Fix, details)
            : CheckResult.Ok(Name, $"{probe.ServerVersion} at {probe.Description}: {SchemaFinding.State(probe)}", details);
    }

    // "PostgreSQL at host:port/db is unreachable (Connection refused)": the driver's reason, without its advice to retry.
    private static string Unreachable(string uri, string source, KeelException e)
    {
        if (!PostgresUri.IsPostgres(uri) || e.InnerException is not Npgsql.NpgsqlException driver || driver is Npgsql.PostgresException)
        {
            return e.Message;
        }

        var parsed = PostgresUri.Parse(uri, source);
        var reason = driver.InnerException switch
        {
            System.Net.Sockets.SocketException s => s.Message,
            TimeoutException => "no answer within the timeout",
            IOException io => io.Message,
            _ => driver.Message,
        };
        return $"PostgreSQL at {parsed.Host}:{parsed.Port}/{parsed.Database} is unreachable ({reason})";
    }

    private static string UnreachableFix(string uri, string source)
    {
        if (PostgresUri.IsPostgres(uri))
        {
            try
            {
                var parsed = PostgresUri.Parse(uri, source);
                return $"start PostgreSQL on {parsed.Host}:{parsed.Port} or correct the host and port in {source}; `pg_isready -h {parsed.Host} -p {parsed.Port}` tells when it is up";
            }
            catch (ArgumentException)
            {
                // Parsed once already by the probe; unreachable here.
            }
        }

        return $"make sure the database is running and reachable from here, or correct {source}";
    }
}
