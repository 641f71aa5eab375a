using System.Globalization;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The tracking server a configuration points at (an http[s] tracking URI, else a server running on
/// the data directory): its health endpoint, latency, Keel version against this CLI's, and whether
/// this user's credentials get past its sign-in.
/// </summary>
internal static class ServerCheck
{
    public const string Name = "server";

    /// <summary>This CLI's version, as the server reports its own (major.minor.patch).</summary>
    public static string CliVersion { get; } = typeof(ServerCheck).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static async Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        Uri? server = null;
        string source;
        if (settings.TrackingUri() is { } tracking)
        {
            source = tracking.Source;
            if (!TrackingUri.IsRemote(tracking.Uri, out server) || server is null)
            {
                return CheckResult.Skipped(Name, $"the tracking URI ({source}) names a database, not a server (see backend-store)");
            }
        }
        else
        {
            source = "the data directory's server record";
            try
            {
                server = ServerRecord.FindRunning(settings.DataDir().Dir)?.Url;
            }
            catch (KeelException)
            {
                // A bad KEEL_DATA_DIR is the data-dir check's finding.
            }

            if (server is null)
            {
                return CheckResult.Skipped(Name, "no tracking server configured (--tracking-uri, KEEL_TRACKING_URI, MLFLOW_TRACKING_URI) and none running on the data directory");
            }
        }

        var details = new Dictionary<string, object?> { ["url"] = server.ToString(), ["source"] = source, ["cli_version"] = CliVersion };
        ServerProbe probe;
        try
        {
            using var client = new KeelClient(server, options: new KeelClientOptions { MaxRetries = 0, Timeout = settings.Timeout });
            probe = await client.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e)
        {
            details["reachable"] = false;
            return CheckResult.Fail(Name, $"{server} does not answer its health endpoint: {e.Message}",
                $"start it (keel server --host {server.Host} --port {server.Port.ToString(CultureInfo.InvariantCulture)}) or correct {source}", details);
        }

        var latencyMs = Math.Round(probe.Latency.TotalMilliseconds, 1);
        details["reachable"] = true;
        details["latency_ms"] = latencyMs;
        details["server_version"] = probe.KeelVersion;
        details["mlflow_version"] = probe.MlflowVersion;
        details["credentials"] = probe.HasCredentials;
        details["sign_in"] = probe.SignIn switch
        {
            ServerSignIn.Required => "required",
            ServerSignIn.NoPermission => "no-permission",
            _ => "accepted",
        };
        var healthy = FormattableString.Invariant($"{server} is healthy ({latencyMs} ms)");
        if (probe.SignIn == ServerSignIn.Required)
        {
            return CheckResult.Warn(Name, probe.HasCredentials
                    ? $"{healthy}, but it refused the credentials sent (expired or revoked token, wrong password)"
                    : $"{healthy}, but it requires sign-in and no credentials are set",
                $"keel login --tracking-uri {server}, or set MLFLOW_TRACKING_TOKEN (or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)", details);
        }

        if (probe.KeelVersion is null)
        {
            return CheckResult.Warn(Name, $"{healthy}, but it is not a Keel server (MLflow {probe.MlflowVersion ?? "?"}): Keel's own commands will not work against it",
                $"point {source} at a keel server", details);
        }

        if (!string.Equals(probe.KeelVersion, CliVersion, StringComparison.Ordinal))
        {
            return CheckResult.Warn(Name, $"{healthy}, but it runs Keel {probe.KeelVersion} and this CLI is {CliVersion}",
                $"install the server's version: dotnet tool update --global keel --version {probe.KeelVersion}", details);
        }

        return CheckResult.Ok(Name, $"{healthy}: Keel {probe.KeelVersion} like this CLI{(probe.SignIn == ServerSignIn.NoPermission ? "; signed in without read permission on experiments" : string.Empty)}", details);
    }
}
