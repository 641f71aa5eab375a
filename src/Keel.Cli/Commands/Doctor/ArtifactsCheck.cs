using System.Text;
using Keel.Artifacts.S3;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// Where artifacts go (<c>--artifacts-destination</c>, else the data directory's <c>artifacts/</c>;
/// and <c>--default-artifact-root</c> when clients write there themselves): a probe object is
/// written, read back and deleted through the same store code the server uses.
/// </summary>
internal static class ArtifactsCheck
{
    public const string Name = "artifacts";

    public static async Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        var targets = new List<(string Uri, string Source)>();
        if (settings.ArtifactsDestinationOption is { Length: > 0 } destination)
        {
            targets.Add((destination, KeelBackends.ArtifactsDestinationOption));
        }
        else
        {
            try
            {
                targets.Add((DataDirectory.ArtifactsUri(settings.DataDir().Dir), "the data directory"));
            }
            catch (KeelException e)
            {
                return CheckResult.Fail(Name, e.Message, "see the data-dir check");
            }
        }

        if (settings.DefaultArtifactRootOption is { Length: > 0 } root && ArtifactUri.Parse(root).Kind != ArtifactUriKind.Proxied)
        {
            targets.Add((root, "--default-artifact-root"));
        }

        var findings = new List<string>();
        var details = new Dictionary<string, object?>();
        foreach (var (uri, source) in targets)
        {
            var result = await CheckOneAsync(uri, source, settings.Timeout, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in result.Details)
            {
                details[(source == "--default-artifact-root" ? "default_root_" : string.Empty) + key] = value;
            }

            if (result.Status == CheckStatus.Fail)
            {
                return result with { Details = details };
            }

            findings.Add(result.Finding);
        }

        return CheckResult.Ok(Name, string.Join("; ", findings), details);
    }

    private static async Task<CheckResult> CheckOneAsync(string uri, string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, object?> { ["uri"] = uri, ["source"] = source };
        var location = ArtifactUri.Parse(uri);
        if (location.Kind == ArtifactUriKind.Local && location.LocalPath is { Length: > 0 } local && !Directory.Exists(local))
        {
            // Not created yet: check Keel could create it, without creating it.
            var probe = DirectoryProbe.Of(local);
            details["exists"] = false;
            details["writable"] = probe.Problem is null;
            return probe.Problem is null
                ? CheckResult.Ok(Name, $"{probe.Path}: does not exist yet (created on first use)", details)
                : CheckResult.Fail(Name, probe.Problem, $"make the directory writable for this user, or choose another with {source}", details);
        }

        var s3 = uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
        if (s3)
        {
            details["endpoint"] = Core.Configuration.KeelEnvironment.Text(S3ArtifactStoreSettings.EndpointVariable) ?? "AWS";
        }

        IArtifactStore store;
        try
        {
            store = KeelBackends.OpenArtifacts(uri, source);
        }
        catch (KeelException e)
        {
            return CheckResult.Fail(Name, e.Message, $"correct {source} or the variable named", details);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout * 2);
        var path = $"keel-doctor-probe-{Guid.NewGuid():N}.txt";
        var written = false;
        try
        {
            var content = Encoding.UTF8.GetBytes("keel doctor probe; safe to delete\n");
            await store.WriteAsync(path, new MemoryStream(content), deadline.Token).ConfigureAwait(false);
            written = true;
            await using (var read = await store.OpenReadAsync(path, deadline.Token).ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await read.CopyToAsync(copy, deadline.Token).ConfigureAwait(false);
                if (!copy.ToArray().AsSpan().SequenceEqual(content))
                {
                    return CheckResult.Fail(Name, $"{uri}: a probe object read back differs from what was written", "check the storage server's health; its data may be damaged", details);
                }
            }

            await store.DeleteAsync(path, deadline.Token).ConfigureAwait(false);
            written = false;
            details["writable"] = true;
            return CheckResult.Ok(Name, $"{uri}: write, read and delete of a probe object work", details);
        }
        catch (Exception e) when (e is KeelException or IOException or UnauthorizedAccessException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            details["writable"] = false;
            var what = e is OperationCanceledException ? $"did not answer within {(timeout * 2).TotalSeconds:0} s" : e.Message;
            return CheckResult.Fail(Name, $"{uri}: {(written ? "reading back or deleting" : "writing")} a probe object failed: {what}", s3
                ? $"check that the bucket exists and {S3ArtifactStoreSettings.AccessKeyVariable}/{S3ArtifactStoreSettings.SecretKeyVariable} may write to it; for MinIO or another S3 server set {S3ArtifactStoreSettings.EndpointVariable}"
                : $"make the directory writable for this user, or choose another with {source}", details);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
