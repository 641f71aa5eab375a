using System.Diagnostics;
using Keel.Core.Errors;

namespace Keel.Client;

// A look at the server for `keel doctor`: health, versions and whether this client's credentials work.
public sealed partial class KeelClient
{
    /// <summary>
    /// Asks the server's health endpoint, its versions (Keel's and MLflow's) and makes one
    /// authenticated read, each once (no retries), with this client's credentials.
    /// </summary>
    /// <param name="cancellationToken">Cancels the look.</param>
    /// <exception cref="KeelException">TEMPORARILY_UNAVAILABLE or DEADLINE_EXCEEDED when the server does not answer its health endpoint.</exception>
    public async Task<ServerProbe> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        using (await ProbeGetAsync("/health", [], cancellationToken).ConfigureAwait(false))
        {
            watch.Stop();
        }

        var mlflow = await TextOrNullAsync("/version", cancellationToken).ConfigureAwait(false);
        var keel = await TextOrNullAsync("/api/2.0/keel/version", cancellationToken).ConfigureAwait(false);
        var signIn = ServerSignIn.Accepted;
        try
        {
            using var _ = await ProbeGetAsync(Api + "/experiments/search", [new("max_results", "1")], cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.Unauthenticated)
        {
            signIn = ServerSignIn.Required;
        }
        catch (KeelException e) when (e.Code == ErrorCode.PermissionDenied)
        {
            signIn = ServerSignIn.NoPermission;
        }

        return new ServerProbe(watch.Elapsed, keel, mlflow, _transport.HasCredentials, signIn);
    }

    private Task<HttpResponseMessage> ProbeGetAsync(string path, IEnumerable<KeyValuePair<string, string?>> query, CancellationToken cancellationToken)
    {
        var url = _transport.Url(path, query);
        return _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), retry: false, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    // A server without the route (MLflow has no Keel version) answers 404: no version, not a failure.
    private async Task<string?> TextOrNullAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await ProbeGetAsync(path, [], cancellationToken).ConfigureAwait(false);
            var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            return text.Length is > 0 and <= 64 ? text : null;
        }
        catch (KeelException e) when (e.Code is ErrorCode.NotFound or ErrorCode.EndpointNotFound or ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
